// Command roundtrip connects to a cache endpoint over TLS, as an application would, and prints
// what it did: PING -> PONG, then a SET and a GET of a short-lived key. `make demo` runs it
// against the stack it applied.
//
//	go run ./scripts/roundtrip -addr 127.1.2.3 -port 6379 -ca ca.pem [-user u] (password in $REDIS_PASSWORD)
package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"flag"
	"fmt"
	"net"
	"os"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

func main() {
	addr := flag.String("addr", "", "endpoint address")
	port := flag.Int("port", 6379, "endpoint port")
	caFile := flag.String("ca", "", "PEM file of the CA that signed the server certificate")
	user := flag.String("user", "", "ACL user name (RBAC); the password comes from $REDIS_PASSWORD, never a flag")
	flag.Parse()
	if err := run(*addr, *port, *caFile, *user, os.Getenv("REDIS_PASSWORD")); err != nil {
		fmt.Fprintln(os.Stderr, "roundtrip:", err)
		os.Exit(1)
	}
}

func run(addr string, port int, caFile, user, password string) error {
	if addr == "" || caFile == "" {
		return fmt.Errorf("-addr and -ca are required")
	}
	pem, err := os.ReadFile(caFile)
	if err != nil {
		return err
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return fmt.Errorf("no certificate in %s", caFile)
	}
	target := net.JoinHostPort(addr, strconv.Itoa(port))
	c := redis.NewClient(&redis.Options{Addr: target, Username: user, Password: password, Protocol: 2,
		TLSConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}})
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	fmt.Printf("connect %s over TLS (CA %s)\n", target, caFile)
	pong, err := c.Ping(ctx).Result()
	if err != nil {
		return fmt.Errorf("PING: %w", err)
	}
	fmt.Printf("PING -> %s\n", pong)
	key, value := "demo:roundtrip", "hello from make demo at "+time.Now().UTC().Format(time.RFC3339)
	if err := c.Set(ctx, key, value, time.Minute).Err(); err != nil {
		return fmt.Errorf("SET: %w", err)
	}
	fmt.Printf("SET %s %q EX 60 -> OK\n", key, value)
	got, err := c.Get(ctx, key).Result()
	if err != nil {
		return fmt.Errorf("GET: %w", err)
	}
	fmt.Printf("GET %s -> %q\n", key, got)
	if got != value {
		return fmt.Errorf("GET returned %q, want %q", got, value)
	}
	return nil
}
