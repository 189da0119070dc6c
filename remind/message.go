package remind

// Message is what a delivery posts: a reminder, an update post or a digest.
type Message struct {
	Content string
	Embeds  []Embed
	// PingRole is the one role the message may ping (its content names
	// it); "" pings nobody, whatever the content holds.
	PingRole string
}

// Embed is a card under the message's content. Its parts are already cut
// to the chat's limits by whoever rendered it.
type Embed struct {
	Title       string
	Description string
	URL         string
	Color       int
	Fields      []Field
	Footer      string // "" for none
}

// Field is a titled block of an embed.
type Field struct {
	Name   string
	Value  string
	Inline bool
}
