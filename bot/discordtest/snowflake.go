package discordtest

import (
	"strconv"
	"sync"
	"time"
)

// discordEpoch is the first millisecond of 2015, where Discord's snowflakes
// count from.
const discordEpoch = 1420070400000

// snowflakes makes ids shaped like Discord's (creation time in the top 42
// bits), so code that derives a time from an id sees a plausible one.
type snowflakes struct {
	mu  sync.Mutex
	inc int64
}

func (g *snowflakes) next() string {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.inc++
	ms := time.Now().UnixMilli() - discordEpoch
	id := ms<<22 | 1<<17 | g.inc&0xfff
	return strconv.FormatInt(id, 10)
}
