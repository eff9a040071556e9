package render

import "sync"

// A memo remembers what a function made of each key from one build of a
// Renderer to the next, which are the same but for what changed: it keeps
// the values the last build asked for and forgets the others. It is safe
// for concurrent use.
type memo[K comparable, V any] struct {
	mu         sync.Mutex
	last, next map[K]V
}

// get returns compute(k), computed once per key as long as every build asks for it.
func (m *memo[K, V]) get(k K, compute func(K) V) V {
	m.mu.Lock()
	if v, ok := m.next[k]; ok {
		m.mu.Unlock()
		return v
	}
	v, ok := m.last[k]
	m.mu.Unlock()
	if !ok {
		v = compute(k)
	}
	m.mu.Lock()
	if m.next == nil {
		m.next = make(map[K]V, len(m.last))
	}
	m.next[k] = v
	m.mu.Unlock()
	return v
}

// done ends a build: the next keeps what this one asked for.
func (m *memo[K, V]) done() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.last, m.next = m.next, nil
}
