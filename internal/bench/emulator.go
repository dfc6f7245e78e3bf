package main

import (
	"context"
	"os"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ec2"

	"github.com/cachestack/terraform-provider-elasticache/emulator"
)

// request is one entry of the emulator's request log.
type request = emulator.Request

// network is what the quickstart needs: subnets in three AZs of the default VPC and an
// application security group allowed to connect.
type network = emulator.Network

// startEmulator starts the bundled emulator with the given --data-plane (auto, on, off), its
// stderr in logPath.
func startEmulator(logPath, dataPlane string) (*emulator.Emulator, error) {
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	return emulator.Start(ctx, emulator.Options{Stderr: logFile, DataPlane: dataPlane})
}

// prepareNetwork finds the default VPC's subnets and creates the application group.
func prepareNetwork(ctx context.Context, emu *emulator.Emulator) (network, error) {
	return emulator.PrepareNetwork(ctx, ec2.NewFromConfig(emulator.AWSConfig(ctx, emu.URL)), "bench-app")
}

// setCreateDelay sets how long new resources stay creating (the other delays stay zero).
func setCreateDelay(emu *emulator.Emulator, seconds float64) error {
	return emu.SetDelays(context.Background(), emulator.Options{CreateDelay: time.Duration(seconds * float64(time.Second))})
}
