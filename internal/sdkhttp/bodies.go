// Package sdkhttp holds what the AWS SDK's HTTP client needs around it, shared by the provider and
// the emulator launcher (which must not import the provider).
package sdkhttp

import (
	"bytes"
	"io"
	"net/http"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// InMemoryBodies wraps an SDK HTTP client so every request reaches net/http with a private,
// in-memory body (a bytes.Reader).
//
// Why: on a busy 2-core machine a call against the local emulator sometimes failed with
// "failed to decode response body, ...: use of closed network connection" and was retried by
// the SDK although it had succeeded (a second ModifyServerlessCache, a delete that then reports
// NotFound). A tracing net.Conn showed who closed the connection under the response being
// read: net/http's persistConn.writeLoop, which does so when writing the request ends in an
// error — and no socket write had failed (the signature of aws/aws-sdk-go-v2#2737). What that
// loop still touches after the emulator has answered is the request body: the SDK's own
// wrapper, which the SDK closes as soon as the response arrives, and which makes net/http
// flush the headers and stream the body separately. With a private in-memory body the write
// loop reads only bytes nobody else closes, and headers and body go out in one flush.
func InMemoryBodies(c aws.HTTPClient) aws.HTTPClient {
	if c == nil {
		c = http.DefaultClient
	}
	if _, ok := c.(inMemoryBodies); ok {
		return c
	}
	return inMemoryBodies{c}
}

type inMemoryBodies struct{ next aws.HTTPClient }

func (c inMemoryBodies) Do(req *http.Request) (*http.Response, error) {
	if req.Body == nil || req.Body == http.NoBody {
		return c.next.Do(req)
	}
	data, err := io.ReadAll(req.Body)
	_ = req.Body.Close()
	if err != nil {
		return nil, err
	}
	out := req.Clone(req.Context())
	out.Body = io.NopCloser(bytes.NewReader(data))
	out.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }
	out.ContentLength = int64(len(data))
	return c.next.Do(out)
}
