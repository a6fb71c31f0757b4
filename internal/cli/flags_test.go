package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSecretFlagFromFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}

	got, err := secretFlag("", write("bom", "\uFEFFtoken-value-0123456789abcdefghijkl\n"), "admin-token")
	if err != nil || got != "token-value-0123456789abcdefghijkl" {
		t.Errorf("file with a BOM and a newline: %q, %v", got, err)
	}
	for name, content := range map[string]string{"empty": "", "blank": "  \n\t\n", "two-lines": "first-line\nsecond-line\n"} {
		if got, err := secretFlag("", write(name, content), "admin-token"); err == nil {
			t.Errorf("file %s: accepted %q", name, got)
		}
	}
	if _, err := secretFlag("value", write("other", "x"), "admin-token"); err == nil {
		t.Error("a value and a file were both accepted")
	}
}

func runCommand(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr strings.Builder
	code := Run(context.Background(), Env{Args: args, Getenv: func(k string) string { return env[k] }, Stdout: &stdout, Stderr: &stderr})
	return code, stdout.String(), stderr.String()
}

func TestServeRejectsBadSettings(t *testing.T) {
	cases := []struct {
		env  map[string]string
		args []string
		want string
	}{
		{map[string]string{"ACCOUNTNET_DEMO": "maybe"}, nil, `ACCOUNTNET_DEMO: want true or false, got "maybe"`},
		{nil, []string{"--admin-token", strings.Repeat(" ", 40)}, "--admin-token: use at least 32 characters"},
		{nil, []string{"--admin-token", "short"}, "--admin-token: use at least 32 characters"},
	}
	for _, c := range cases {
		code, _, stderr := runCommand(t, c.env, append([]string{"serve", "--data", t.TempDir()}, c.args...)...)
		if code != 1 || !strings.Contains(stderr, c.want) {
			t.Errorf("serve %v, env %v: exit %d, stderr %q; want %q", c.args, c.env, code, stderr, c.want)
		}
	}
}

func TestOneShotCommandsReadTheEnvironment(t *testing.T) {
	db := filepath.Join(t.TempDir(), "accountnet.db")
	env := map[string]string{"ACCOUNTNET_DATABASE": db, "ACCOUNTNET_EMAIL": "ops@example.com", "ACCOUNTNET_PASSWORD": "ops-password-1"}
	if code, out, stderr := runCommand(t, env, "admin", "create"); code != 0 || !strings.Contains(out, "ops@example.com") {
		t.Errorf("admin create from the environment: exit %d, %s%s", code, out, stderr)
	}
	env = map[string]string{"ACCOUNTNET_DATABASE": db, "ACCOUNTNET_TITLE": "Shop"}
	if code, out, stderr := runCommand(t, env, "app", "create"); code != 0 || !strings.Contains(out, "publishable_key") {
		t.Errorf("app create from the environment: exit %d, %s%s", code, out, stderr)
	}
}
