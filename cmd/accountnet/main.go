// Command accountnet runs the account network service and its
// administration commands.
package main

import (
	"context"
	"os"

	"github.com/accountnet/accountnet/internal/cli"
)

func main() {
	os.Exit(cli.Run(context.Background(), cli.Env{
		Args: os.Args[1:], Getenv: os.Getenv, Stdout: os.Stdout, Stderr: os.Stderr,
	}))
}
