package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// emulator is the bundled AWS emulator (test/emulator/emulator.py) run as a child process.
type emulator struct {
	URL   string
	cmd   *exec.Cmd
	stdin io.WriteCloser // held open: --exit-on-stdin-eof ends the emulator if we die
	http  *http.Client
}

// request is one entry of the emulator's request log (GET /_emulator/requests).
type request struct {
	Service   string `json:"service"`
	Operation string `json:"operation"`
	Status    int    `json:"status"`
	Mutating  bool   `json:"mutating"`
	Resource  string `json:"resource,omitempty"`
	Time      string `json:"time"`
	Fault     bool   `json:"fault,omitempty"`
}

func startEmulator(root, logPath string) (*emulator, error) {
	return startEmulatorWith(root, logPath, "off")
}

// startEmulatorWith starts the emulator with the given --data-plane (auto, on, off).
func startEmulatorWith(root, logPath, dataPlane string) (*emulator, error) {
	python := os.Getenv("EMULATOR_PYTHON")
	if python == "" {
		python = "python3"
	}
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	// The control-plane figures run 50 stacks: no engines behind them (see the data-plane figure).
	cmd := exec.Command(python, root+"/test/emulator/emulator.py", "--host", "127.0.0.1", "--port", "0", "--exit-on-stdin-eof", "--data-plane", dataPlane)
	cmd.Stderr = logFile
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start emulator: %w", err)
	}
	ready := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if f := strings.Fields(sc.Text()); len(f) == 2 && f[0] == "EMULATOR_READY" {
				ready <- f[1]
			}
		}
		close(ready)
	}()
	e := &emulator{cmd: cmd, stdin: stdin, http: &http.Client{Timeout: 60 * time.Second}}
	select {
	case url, ok := <-ready:
		if !ok {
			_ = cmd.Wait()
			return nil, fmt.Errorf("emulator exited before it was ready; see %s", logPath)
		}
		e.URL = url
	case <-time.After(90 * time.Second):
		e.stop()
		return nil, fmt.Errorf("emulator not ready after 90 s; see %s", logPath)
	}
	return e, nil
}

func (e *emulator) stop() {
	if e == nil || e.cmd == nil || e.cmd.Process == nil {
		return
	}
	_ = e.stdin.Close()
	done := make(chan struct{})
	go func() { _ = e.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		_ = e.cmd.Process.Kill()
		<-done
	}
}

func (e *emulator) control(method, path string, body any, out any) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, e.URL+path, rd)
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := e.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode >= 300 {
		return fmt.Errorf("%s %s: HTTP %d: %s", method, path, resp.StatusCode, data)
	}
	if out != nil {
		return json.Unmarshal(data, out)
	}
	return nil
}

func (e *emulator) clearRequests() error {
	return e.control(http.MethodDelete, "/_emulator/requests", nil, nil)
}

func (e *emulator) requests() ([]request, error) {
	var out []request
	err := e.control(http.MethodGet, "/_emulator/requests", nil, &out)
	return out, err
}

func (e *emulator) setCreateDelay(seconds float64) error {
	return e.control(http.MethodPost, "/_emulator/config", map[string]float64{"create_delay": seconds}, nil)
}

// network is what the quickstart needs: subnets in three AZs of the default VPC and an
// application security group allowed to connect.
type network struct {
	SubnetIDs               []string `json:"subnet_ids"`
	AllowedSecurityGroupIDs []string `json:"allowed_security_group_ids"`
}

// prepareNetwork does what scripts/demo_network.py does, with the Go SDK.
func (e *emulator) prepareNetwork(ctx context.Context) (network, error) {
	client := ec2.New(ec2.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(e.URL),
		Credentials:  credentials.NewStaticCredentialsProvider("test", "test", ""),
	})
	vpcs, err := client.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{
		Filters: []ec2types.Filter{{Name: aws.String("is-default"), Values: []string{"true"}}},
	})
	if err != nil {
		return network{}, fmt.Errorf("describe default VPC: %w", err)
	}
	if len(vpcs.Vpcs) == 0 {
		return network{}, fmt.Errorf("the emulator has no default VPC")
	}
	vpc := aws.ToString(vpcs.Vpcs[0].VpcId)
	subnets, err := client.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{
		Filters: []ec2types.Filter{{Name: aws.String("vpc-id"), Values: []string{vpc}}},
	})
	if err != nil {
		return network{}, fmt.Errorf("describe subnets: %w", err)
	}
	byAZ := map[string]string{}
	for _, s := range subnets.Subnets {
		az := aws.ToString(s.AvailabilityZone)
		if _, seen := byAZ[az]; !seen {
			byAZ[az] = aws.ToString(s.SubnetId)
		}
	}
	azs := sortedKeys(byAZ)
	if len(azs) > 3 {
		azs = azs[:3]
	}
	var net network
	for _, az := range azs {
		net.SubnetIDs = append(net.SubnetIDs, byAZ[az])
	}
	sg, err := client.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{
		GroupName:   aws.String("bench-app"),
		Description: aws.String("benchmark application"),
		VpcId:       aws.String(vpc),
	})
	if err != nil {
		return network{}, fmt.Errorf("create application security group: %w", err)
	}
	net.AllowedSecurityGroupIDs = []string{aws.ToString(sg.GroupId)}
	return net, nil
}
