package loadtest

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// ServeEnv marks a process started by StartServer: a program that finds
// it set runs the server (cli serve) instead of the load tool, so the tool
// needs no second binary.
const ServeEnv = "ACCOUNTNET_BENCH_SERVE"

// Server is an accountnet server process started for a run.
type Server struct {
	URL        string
	AdminToken string
	cmd        *exec.Cmd
}

// StartServer runs the current executable as a server on a free loopback
// port with the given database and waits until /readyz answers.
func StartServer(ctx context.Context, databaseURL, dataDir string, extraArgs []string) (*Server, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}

	token := "bench-" + strconv.FormatInt(time.Now().UnixNano(), 36) + "-admin-token-padding"
	args := append([]string{"serve", "--addr", addr, "--data", dataDir, "--log-level", "warn"}, extraArgs...)
	if databaseURL != "" {
		args = append(args, "--database", databaseURL)
	}
	cmd := exec.Command(exe, args...)
	cmd.Env = append(os.Environ(), ServeEnv+"=1", "ACCOUNTNET_ADMIN_TOKEN="+token)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	go relayWarnings(stderr)

	s := &Server{URL: "http://" + addr, AdminToken: token, cmd: cmd}
	if err := s.waitReady(ctx); err != nil {
		s.Stop()
		return nil, err
	}
	return s, nil
}

// relayWarnings copies the server's log (warnings and errors only, given
// --log-level warn) to the tool's standard error, at most 20 lines, so a
// failing server is visible without flooding the report.
func relayWarnings(r io.Reader) {
	scanner := bufio.NewScanner(r)
	for n := 0; scanner.Scan(); n++ {
		if n < 20 {
			fmt.Fprintln(os.Stderr, "server:", scanner.Text())
		}
	}
}

func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

func (s *Server) waitReady(ctx context.Context) error {
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		req, _ := http.NewRequestWithContext(ctx, "GET", s.URL+"/readyz", nil)
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
	return fmt.Errorf("server at %s did not become ready within 60s", s.URL)
}

// PeakRSS returns the server process's peak resident set size in bytes
// (VmHWM from /proc on Linux).
func (s *Server) PeakRSS() (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb * 1024, err
		}
	}
	return 0, fmt.Errorf("no VmHWM in /proc/%d/status", s.cmd.Process.Pid)
}

// Stop ends the server with SIGTERM and waits for it, killing it after 20s.
func (s *Server) Stop() {
	s.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		s.cmd.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		s.cmd.Process.Kill()
		<-done
	}
}
