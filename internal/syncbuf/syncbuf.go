// Package syncbuf is a bytes.Buffer that a goroutine under test can write while the test reads it.
package syncbuf

import (
	"bytes"
	"sync"
)

// Buffer is safe for one writer and one reader at a time; the zero value is ready to use.
type Buffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *Buffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *Buffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
