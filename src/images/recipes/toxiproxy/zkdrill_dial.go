// zkdrill's one change to Toxiproxy (added to package toxiproxy at image build time).
//
// A proxy accepts its caller before it dials the upstream, so "nobody listens there yet" reaches
// the caller as an accepted connection that closes: ZooKeeper's follower, connecting to a leader
// that is still binding its quorum port, then abandons that election instead of retrying as it
// does on a refused connect, and elections through a gateway took 20 s instead of 1 s. So a
// refused or unresolvable upstream is retried for ZKDRILL_DIAL_RETRY_MS (the caller's own
// retries, moved here), and each dial runs off the accept loop so one slow dial holds no other
// caller. A dial that gets no answer at all (an address on another host whose container is gone: an
// overlay drops the SYN) gives up after ZKDRILL_DIAL_TIMEOUT_MS (default 5 s), so the caller sees it
// closed about as soon as a refused connect would tell it. Everything else is Toxiproxy as released.
package toxiproxy

import (
	"errors"
	"net"
	"os"
	"strconv"
	"syscall"
	"time"
)

func zkdrillDialUpstream(addr string) (net.Conn, error) {
	retryMs, _ := strconv.Atoi(os.Getenv("ZKDRILL_DIAL_RETRY_MS"))
	deadline := time.Now().Add(time.Duration(retryMs) * time.Millisecond)
	timeoutMs, _ := strconv.Atoi(os.Getenv("ZKDRILL_DIAL_TIMEOUT_MS"))
	if timeoutMs <= 0 {
		timeoutMs = 5000
	}
	for {
		conn, err := net.DialTimeout("tcp", addr, time.Duration(timeoutMs)*time.Millisecond)
		if err == nil {
			return conn, nil
		}
		var dnsErr *net.DNSError
		retriable := errors.Is(err, syscall.ECONNREFUSED) || errors.As(err, &dnsErr)
		if !retriable || time.Now().After(deadline) {
			return nil, err
		}
		time.Sleep(50 * time.Millisecond)
	}
}
