// Command emulator runs the bundled AWS emulator (package emulator, the one launcher) for the
// scripts and for people:
//
//	go run ./cmd/emulator [flags]                  serve on -port (4566) until interrupted (make emulator)
//	go run ./cmd/emulator exec [flags] -- CMD ...  start on a free port, run CMD against it, stop it
//	go run ./cmd/emulator network [-app-group NAME] print the test network of AWS_ENDPOINT_URL's endpoint
//
// exec gives CMD the endpoint as AWS_ENDPOINT_URL and EMULATOR_URL, the test credentials and
// us-east-1 (AWS_PROFILE and AWS_SESSION_TOKEN removed), and ELASTICACHE_TEST_CA_FILE when the
// emulator runs engines; it exits with CMD's status. With -network FILE it first writes the test
// network (emulator.PrepareNetwork: the default VPC's subnets and the -app-group security group)
// to FILE as the quickstart's variables (subnet_ids, allowed_security_group_ids), JSON; network
// prints the same for the endpoint the environment names (AWS_ENDPOINT_URL, an emulator you
// started, LocalStack), for a terraform.tfvars.json.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"syscall"
	"time"

	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/ec2"

	"github.com/cachestack/terraform-provider-elasticache/emulator"
)

type config struct {
	opts     emulator.Options
	logPath  string
	network  string
	appGroup string
}

func main() {
	args := os.Args[1:]
	mode := "serve"
	if len(args) > 0 && (args[0] == "exec" || args[0] == "network") {
		mode, args = args[0], args[1:]
	}
	cfg, rest, err := parseFlags(mode, args)
	if err != nil {
		os.Exit(2)
	}
	switch mode {
	case "exec":
		os.Exit(execCommand(cfg, rest))
	case "network":
		err = printNetwork(cfg.appGroup)
	default:
		err = serve(cfg)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "emulator:", err)
		os.Exit(1)
	}
}

func parseFlags(mode string, args []string) (config, []string, error) {
	var c config
	fs := flag.NewFlagSet("emulator "+mode, flag.ContinueOnError)
	defaultPort := 4566
	if mode == "exec" {
		defaultPort = 0
	}
	fs.StringVar(&c.opts.Host, "host", "127.0.0.1", "address to listen on")
	fs.IntVar(&c.opts.Port, "port", defaultPort, "port to listen on (0: a free one)")
	fs.DurationVar(&c.opts.CreateDelay, "create-delay", 0, "how long a resource stays creating")
	fs.DurationVar(&c.opts.ModifyDelay, "modify-delay", 0, "how long a resource stays modifying")
	fs.DurationVar(&c.opts.DeleteDelay, "delete-delay", 0, "how long a resource stays deleting")
	fs.StringVar(&c.opts.DataPlane, "data-plane", "", "live engines behind the caches: auto (default), on or off")
	fs.StringVar(&c.logPath, "log", "", "write the emulator's stderr to this file (serve: default the terminal)")
	fs.StringVar(&c.network, "network", "", "exec: write the test network's variables (JSON) to this file first")
	fs.StringVar(&c.appGroup, "app-group", "app", "exec, network: name of the application security group (found or created)")
	err := fs.Parse(args)
	return c, fs.Args(), err
}

// start starts the emulator with its stderr in -log (or def).
func start(c config, def io.Writer) (*emulator.Emulator, error) {
	c.opts.Stderr = def
	if c.logPath != "" {
		f, err := os.Create(c.logPath)
		if err != nil {
			return nil, err
		}
		c.opts.Stderr = f
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	return emulator.Start(ctx, c.opts)
}

func serve(c config) error {
	e, err := start(c, os.Stderr)
	if err != nil {
		return err
	}
	defer func() { _ = e.Stop() }()
	fmt.Printf("EMULATOR_READY %s\n(Ctrl-C stops it)\n", e.URL)
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	<-stop
	return nil
}

func execCommand(c config, argv []string) int {
	if len(argv) == 0 {
		fmt.Fprintln(os.Stderr, "emulator exec: no command (usage: emulator exec [flags] -- CMD ...)")
		return 2
	}
	e, err := start(c, nil)
	if err != nil {
		fmt.Fprintln(os.Stderr, "emulator:", err)
		return 1
	}
	defer func() { _ = e.Stop() }()
	env, err := childEnv(e)
	if err == nil && c.network != "" {
		err = writeNetwork(e, c.network, c.appGroup)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "emulator:", err)
		return 1
	}
	return run(argv, env)
}

// childEnv is this process's environment pointed at the emulator, as a user points the AWS
// SDK and Terraform at LocalStack.
func childEnv(e *emulator.Emulator) ([]string, error) {
	set := map[string]string{
		"AWS_ENDPOINT_URL": e.URL, "EMULATOR_URL": e.URL, "AWS_REGION": "us-east-1",
		"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test",
	}
	dp, err := e.DataPlane(context.Background())
	if err != nil {
		return nil, err
	}
	if dp.Enabled {
		set[emulator.CAFileEnv] = dp.CAFile
	}
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if _, replaced := set[k]; !replaced && k != "AWS_PROFILE" && k != "AWS_SESSION_TOKEN" && k != emulator.CAFileEnv {
			env = append(env, kv)
		}
	}
	for k, v := range set {
		env = append(env, k+"="+v)
	}
	return env, nil
}

func writeNetwork(e *emulator.Emulator, path, appGroup string) error {
	ctx := context.Background()
	data, err := networkJSON(ctx, ec2.NewFromConfig(emulator.AWSConfig(ctx, e.URL)), appGroup)
	if err != nil {
		return err
	}
	return os.WriteFile(path, data, 0o644)
}

// printNetwork prints the network of the endpoint the environment names.
func printNetwork(appGroup string) error {
	ctx := context.Background()
	cfg, err := awsconfig.LoadDefaultConfig(ctx)
	if err != nil {
		return err
	}
	data, err := networkJSON(ctx, ec2.NewFromConfig(cfg), appGroup)
	if err != nil {
		return err
	}
	_, err = os.Stdout.Write(data)
	return err
}

func networkJSON(ctx context.Context, client *ec2.Client, appGroup string) ([]byte, error) {
	n, err := emulator.PrepareNetwork(ctx, client, appGroup)
	if err != nil {
		return nil, err
	}
	data, err := json.MarshalIndent(n.TFVars(), "", "  ")
	return append(data, '\n'), err
}

// run runs argv with env, passing interrupts on, and returns its exit status.
func run(argv, env []string) int {
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env, cmd.Stdin, cmd.Stdout, cmd.Stderr = env, os.Stdin, os.Stdout, os.Stderr
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "emulator exec:", err)
		return 127
	}
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	go func() {
		for s := range sigs {
			_ = cmd.Process.Signal(s)
		}
	}()
	err := cmd.Wait()
	signal.Stop(sigs)
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return exit.ExitCode()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "emulator exec:", err)
		return 1
	}
	return 0
}
