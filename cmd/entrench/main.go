// Command entrench simulates how security cooperation between rivals
// becomes entrenched, or collapses, as bureaucracies gain and lose stakes in
// it. Run "entrench --help" for the commands.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := execute(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
