// Command tiaojie is the Tiaojie server: the only package that knows every
// room of the house. It reads the configuration, builds the dependencies,
// wires them and runs until SIGINT or SIGTERM.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // Asia/Shanghai must resolve on hosts without a zoneinfo database
)

const usage = `tiaojie — backend of police–lawyer–citizen collaborative mediation

Usage:
  tiaojie [serve] [--demo]   run the server (the default command)
  tiaojie migrate            apply database migrations and exit
  tiaojie --help             show this help

With no TIAOJIE_MYSQL_DSN and TIAOJIE_REDIS_URL set, the server runs in
embedded mode: a SQLite file in TIAOJIE_DATA_DIR and an in-process
Redis-protocol server, with demo data. See README.md for every variable.

Flags of serve:
  --demo   seed demo organisations and accounts even on a configured database
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "tiaojie:", err)
			os.Exit(1)
		}
	}
}

// run parses the command line and runs one command.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cmd := "serve"
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	fs := flag.NewFlagSet("tiaojie "+cmd, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stdout, usage) }
	demo := fs.Bool("demo", false, "seed demo data")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if cmd == "help" {
		fmt.Fprint(stdout, usage)
		return nil
	}
	cfg, err := loadConfig(getenv)
	if err != nil {
		return fmt.Errorf("configuration:\n%w", err)
	}
	cfg.Demo = *demo
	switch cmd {
	case "serve":
		return serve(ctx, cfg, stderr)
	case "migrate":
		return migrate(ctx, cfg, stderr)
	default:
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("unknown command %q", cmd)
	}
}
