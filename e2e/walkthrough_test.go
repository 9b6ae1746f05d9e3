package e2e

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// The walkthrough that `make demo` prints, run as written: its lines are fed one at a time to one bash, as someone
// pasting them would, and each step waits for what its comment promises before the next line is pasted.
func TestDemoWalkthroughAsPrinted(t *testing.T) {
	lines := walkthroughLines(t)
	sh := exec.Command("bash", "--norc", "--noprofile")
	sh.Dir = t.TempDir()
	sh.Env = os.Environ()
	// its own process group, so the clean-up also ends the background watcher if a step fails before `kill %1`
	sh.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	stdin, err := sh.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out := &transcript{}
	sh.Stdout, sh.Stderr = out, out
	if err := sh.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stdin.Close()
		syscall.Kill(-sh.Process.Pid, syscall.SIGKILL)
		sh.Wait()
		if t.Failed() {
			t.Logf("walkthrough transcript:\n%s", out.String())
		}
	})

	for i, line := range lines {
		from := out.len()
		marker := fmt.Sprintf("__step_%d_done__", i)
		if _, err := io.WriteString(stdin, line+"\necho "+marker+"\n"); err != nil {
			t.Fatalf("write %q: %v", line, err)
		}
		out.await(t, from, marker, 60*time.Second, line)
		switch {
		case strings.Contains(line, "wagate-events demo &"):
			out.await(t, from, `"event":"instance.state"`, 30*time.Second, "the first frame of wagate-events")
		case strings.Contains(line, "/phone/scan"):
			out.await(t, from, `"state":"connected"`, 60*time.Second, "connected after the scan")
		case strings.Contains(line, "/api/instance/list"):
			out.await(t, from, `"connection":{"state":"connected"`, 5*time.Second, "the list shows connected")
		case strings.Contains(line, "/replace"):
			out.await(t, from, `"state":"stream_replaced"`, 30*time.Second, "stream_replaced")
			eventually(t, 30*time.Second, "the list says disconnected", func() bool { return state(t, "demo") == "disconnected" })
		case strings.Contains(line, "/api/instance/reconnect/"):
			out.await(t, from, `"message":"Reconnect initiated"`, 5*time.Second, "the reconnect answer")
			out.await(t, from, `"state":"connecting"`, 30*time.Second, "connecting after the reconnect")
			out.await(t, from, `"state":"connected"`, 60*time.Second, "connected after the reconnect")
		case strings.Contains(line, "/contacts -d"):
			out.await(t, from, `"connected":true`, 60*time.Second, "the virtual contact online")
		case strings.Contains(line, "/api/message/text/"):
			out.await(t, from, `"message":"Message sent successfully"`, 5*time.Second, "the send's answer")
			out.await(t, from, `"content":{"text":"Hello Ana"}`, 30*time.Second, "the outgoing message.exchange")
			out.await(t, from, `"status":"delivered"`, 30*time.Second, "message.status delivered")
		case strings.Contains(line, "/send -d"):
			out.await(t, from, `"direction":"incoming"`, 30*time.Second, "the reply's message.exchange")
			out.await(t, from, `"content":{"text":"Hi, Ana here"}`, 30*time.Second, "the reply's text")
		}
	}
	if state(t, "demo") != "connected" {
		t.Fatalf("instance demo is %q after the walkthrough", state(t, "demo"))
	}
}

// walkthroughLines reads the commands of the walkthrough from what run.sh printed at start-up.
func walkthroughLines(t *testing.T) []string {
	t.Helper()
	f, err := os.Open(filepath.Join(product.home, "run.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var lines []string
	in := false
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<16), 1<<20)
	for sc.Scan() {
		l := sc.Text()
		switch {
		case strings.HasPrefix(l, "Walkthrough"):
			in, lines = true, nil // a restarted demo prints it again: keep the last one
		case in && strings.HasPrefix(l, "  "):
			lines = append(lines, strings.TrimSpace(l))
		case in:
			in = false
		}
	}
	if len(lines) < 8 {
		t.Fatalf("no walkthrough in run.log (found %q)", lines)
	}
	return lines
}

// transcript is everything the shell and its background jobs printed, in order.
type transcript struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *transcript) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *transcript) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func (s *transcript) len() int { return len(s.String()) }

// await waits until want appears in what was printed after offset from.
func (s *transcript) await(t *testing.T, from int, want string, within time.Duration, what string) {
	t.Helper()
	eventually(t, within, what, func() bool { return strings.Contains(s.String()[from:], want) })
}
