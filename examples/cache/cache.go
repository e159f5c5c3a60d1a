// Package cache is a loading cache shared by concurrent tasks, written
// against sched.Runtime so that package check can test it. Cache checks
// for a key, then loads it, without the lock in between (check-then-act);
// FixedCache is its correct twin.
package cache

import "github.com/devstress/devstress/sched"

// Loader computes the value of a key; the cache calls it at most once per
// key.
type Loader func(key string) int

// Cache is a cache whose Get checks for the key under the lock, releases
// it, and loads: two tasks that miss the same key both load it.
type Cache struct {
	rt     sched.Runtime
	mu     sched.Mutex
	load   Loader
	values map[string]int
}

// New returns an empty cache that loads with load.
func New(rt sched.Runtime, load Loader) *Cache {
	return &Cache{rt: rt, mu: rt.NewMutex("cache"), load: load, values: map[string]int{}}
}

// Get returns the value of key, loading it on a miss: the bug, the check
// and the act are two critical sections.
func (c *Cache) Get(key string) int {
	c.mu.Lock()
	v, ok := c.values[key]
	c.mu.Unlock()
	if ok {
		return v
	}
	c.rt.Yield("cache: missed") // another task may miss the same key here
	v = c.load(key)
	c.mu.Lock()
	c.values[key] = v
	c.mu.Unlock()
	return v
}

// FixedCache is Cache with the lock held from the check to the store.
// (Holding it across the load serializes all loads; a real cache would
// wait on a per-key completion instead.)
type FixedCache struct {
	rt     sched.Runtime
	mu     sched.Mutex
	load   Loader
	values map[string]int
}

// NewFixed returns an empty cache that loads with load.
func NewFixed(rt sched.Runtime, load Loader) *FixedCache {
	return &FixedCache{rt: rt, mu: rt.NewMutex("cache"), load: load, values: map[string]int{}}
}

// Get returns the value of key, loading it on a miss.
func (c *FixedCache) Get(key string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	if v, ok := c.values[key]; ok {
		return v
	}
	c.rt.Yield("cache: missed")
	v := c.load(key)
	c.values[key] = v
	return v
}
