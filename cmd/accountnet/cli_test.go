package main

import (
	"encoding/json"
	"os/exec"
	"strings"
	"testing"

	"github.com/accountnet/accountnet/internal/testdb"
)

// TestCommands runs the one-shot commands of the built binary against a
// new SQLite file.
func TestCommands(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := buildBinary(t)
	dbPath := testdb.SQLiteURL(t)
	run := func(args ...string) (string, string, error) {
		cmd := exec.Command(bin, append(args, "--database", dbPath)...)
		var stdout, stderr strings.Builder
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		return stdout.String(), stderr.String(), err
	}

	out, _, err := run("migrate")
	if err != nil || !strings.Contains(out, "0001_init\tapplied") {
		t.Errorf("migrate: %v\n%s", err, out)
	}

	out, stderr, err := run("app", "create", "--title", "Shop", "--network-url", "https://shop.example/activate", "--login-url", "https://shop.example/login")
	if err != nil {
		t.Fatalf("app create: %v\n%s", err, stderr)
	}
	var app map[string]string
	if err := json.Unmarshal([]byte(out), &app); err != nil {
		t.Fatalf("app create printed %q: %v", out, err)
	}
	if !strings.HasPrefix(app["app_id"], "app_") || !strings.HasPrefix(app["publishable_key"], "pk_") || !strings.HasPrefix(app["secret_key"], "sk_") || len(app) != 3 {
		t.Errorf("app create printed %v", app)
	}

	_, stderr, err = run("app", "create", "--title", "Shop", "--network-url", "ftp://x")
	if err == nil || !strings.Contains(stderr, "network_url: Enter an absolute http or https URL.") {
		t.Errorf("app create with a bad URL: %v\n%s", err, stderr)
	}

	if out, stderr, err = run("admin", "create", "--email", "ops@example.com", "--password", "ops-password-1"); err != nil || !strings.Contains(out, "ops@example.com") {
		t.Errorf("admin create: %v\n%s%s", err, out, stderr)
	}
	if _, stderr, err = run("admin", "create", "--email", "OPS@example.com", "--password", "ops-password-1"); err == nil || !strings.Contains(stderr, "already exists") {
		t.Errorf("duplicate admin create: %v\n%s", err, stderr)
	}
	if _, stderr, err = run("bogus"); err == nil || !strings.Contains(stderr, `unknown command "bogus`) {
		t.Errorf("unknown command: %v\n%s", err, stderr)
	}
}
