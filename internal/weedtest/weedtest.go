// Package weedtest runs SeaweedFS (weed mini) on 127.0.0.1 as a real S3
// store for tests and benchmarks. HELPSITE_WEED names the binary
// (.ci/weed builds it), else weed is looked up on PATH; without it a test
// skips, or fails in CI (internal/testenv).
package weedtest

import (
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/helpsite/helpsite/internal/testenv"
)

// Bucket is the bucket every Server has, created when it starts.
const Bucket = "site"

// A Server is a running weed mini, with one bucket, Bucket, that anyone
// may read and write.
type Server struct {
	bin, dir, log string
	ports         []int // s3, master, filer, volume; their gRPC ports are 10000 above
	cmd           *exec.Cmd
	exited        chan struct{}
}

// Start starts a Server for t, its data in a temporary directory, and
// stops it when t ends.
func Start(t testing.TB) *Server {
	t.Helper()
	s := &Server{bin: binary(t), dir: t.TempDir(), log: filepath.Join(t.TempDir(), "weed.log"), ports: freePorts(t, 4)}
	s.Restart(t)
	t.Cleanup(s.Kill)
	return s
}

// binary returns the path of weed, or ends t through testenv.Missing.
func binary(t testing.TB) string {
	t.Helper()
	if p := os.Getenv("HELPSITE_WEED"); p != "" {
		if _, err := os.Stat(p); err != nil {
			testenv.Missing(t, fmt.Errorf("HELPSITE_WEED: %w", err))
		}
		return p
	}
	return testenv.LookPath(t, "weed")
}

// freePorts returns n ports free on 127.0.0.1, each with port+10000 free
// too (weed's gRPC ports).
func freePorts(t testing.TB, n int) []int {
	t.Helper()
	var ports []int
	for tries := 0; len(ports) < n && tries < 1000; tries++ {
		p := 20000 + rand.IntN(20000)
		if slices.Contains(ports, p) || !portFree(p) || !portFree(p+10000) {
			continue
		}
		ports = append(ports, p)
	}
	if len(ports) < n {
		t.Fatal("weedtest: no free ports")
	}
	return ports
}

func portFree(p int) bool {
	ln, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(p))
	if err != nil {
		return false
	}
	ln.Close()
	return true
}

// Restart runs weed on the server's ports and data, after Start or Kill,
// and waits until its S3 API answers; the objects stored before are kept.
func (s *Server) Restart(t testing.TB) {
	t.Helper()
	p := s.ports
	args := []string{"mini", "-dir=" + s.dir, "-bucket=" + Bucket,
		"-ip=127.0.0.1", "-ip.bind=127.0.0.1",
		"-s3.port=" + strconv.Itoa(p[0]), "-s3.port.grpc=" + strconv.Itoa(p[0]+10000),
		"-master.port=" + strconv.Itoa(p[1]), "-master.port.grpc=" + strconv.Itoa(p[1]+10000),
		"-filer.port=" + strconv.Itoa(p[2]), "-filer.port.grpc=" + strconv.Itoa(p[2]+10000),
		"-volume.port=" + strconv.Itoa(p[3]), "-volume.port.grpc=" + strconv.Itoa(p[3]+10000),
		"-master.telemetry=false", "-webdav=false", "-admin.ui=false", "-admin.port.legacy=0",
		"-s3.port.iceberg=0", "-s3.port.lance=0",
	}
	s.cmd = exec.Command(s.bin, args...)
	log, err := os.OpenFile(s.log, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer log.Close() // the child has its own descriptor
	s.cmd.Stdout, s.cmd.Stderr = log, log
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	s.exited = exited
	go func() { s.cmd.Wait(); close(exited) }()
	// Ready when the bucket answers an anonymous listing.
	deadline := time.Now().Add(90 * time.Second)
	for {
		resp, err := http.Get(s.Endpoint() + "/" + Bucket + "?list-type=2&max-keys=1")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		select {
		case <-exited:
			t.Fatalf("weed exited: %s", s.logTail())
		default:
		}
		if time.Now().After(deadline) {
			s.Kill()
			t.Fatalf("weed did not serve S3 in 90s (%v): %s", err, s.logTail())
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// logTail returns the end of weed's log, for a failure message.
func (s *Server) logTail() string {
	b, _ := os.ReadFile(s.log)
	return string(b[max(0, len(b)-2000):])
}

// Kill stops weed at once, as a crash would; Restart brings it back.
func (s *Server) Kill() {
	if s.cmd != nil && s.cmd.Process != nil {
		s.cmd.Process.Kill()
		<-s.exited
	}
}

// Endpoint is the base URL of the S3 API: objects are at
// Endpoint()/Bucket/key (path style).
func (s *Server) Endpoint() string { return "http://127.0.0.1:" + strconv.Itoa(s.ports[0]) }

// TargetURL returns the gocloud.dev URL of Bucket at endpoint (the
// server's Endpoint, or a proxy in front of it), with anonymous
// credentials, for deploy.Open and --publish-to.
func TargetURL(endpoint string) string {
	return "s3://" + Bucket + "?endpoint=" + url.QueryEscape(endpoint) + "&region=us-east-1&use_path_style=true&anonymous=true"
}
