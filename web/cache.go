package web

import "sync"

// defaultCacheBytes bounds the rendered answers kept in memory.
const defaultCacheBytes = 32 << 20

// renderCache keeps rendered answers by their ETag. An ETag names the data
// version, the history version, the clock slot where a page has one, and
// the path, so an answer under it never goes stale: a change of the data
// makes new ETags, and the old answers are dropped when they stop being
// asked for (the cache is emptied when full). Rendering a large track page
// costs milliseconds of template work; a cached one costs the two version
// reads of a 304.
type renderCache struct {
	mu    sync.Mutex
	max   int
	size  int
	items map[string][]byte
}

func newRenderCache(max int) *renderCache {
	return &renderCache{max: max, items: map[string][]byte{}}
}

func (c *renderCache) get(etag string) ([]byte, bool) {
	if c.max <= 0 {
		return nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	b, ok := c.items[etag]
	return b, ok
}

// put keeps body under etag; when the cache is full it starts again, which
// also drops the answers of older versions.
func (c *renderCache) put(etag string, body []byte) {
	if c.max <= 0 || len(body) > c.max {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.items[etag]; ok {
		return
	}
	if c.size+len(body) > c.max {
		clear(c.items)
		c.size = 0
	}
	c.items[etag] = body
	c.size += len(body)
}
