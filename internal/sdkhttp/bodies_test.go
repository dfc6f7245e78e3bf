package sdkhttp

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

type closeCounter struct {
	io.Reader
	closed int
}

func (c *closeCounter) Close() error { c.closed++; return nil }

func TestInMemoryBodiesSendsAPrivateCopy(t *testing.T) {
	var got string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got = string(b)
		if r.ContentLength != int64(len("Action=Describe")) {
			t.Errorf("Content-Length %d", r.ContentLength)
		}
	}))
	defer srv.Close()
	body := &closeCounter{Reader: strings.NewReader("Action=Describe")}
	req, _ := http.NewRequest(http.MethodPost, srv.URL, body)
	req.ContentLength = -1 // the wrapper knows the length once it holds the bytes
	resp, err := InMemoryBodies(http.DefaultClient).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got != "Action=Describe" || body.closed != 1 {
		t.Fatalf("server got %q, caller's body closed %d times", got, body.closed)
	}
	if InMemoryBodies(InMemoryBodies(nil)) != InMemoryBodies(nil) {
		t.Fatal("wrapping twice adds a second layer")
	}
}
