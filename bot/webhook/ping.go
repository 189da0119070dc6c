package webhook

// isPing reports whether a valid JSON body is certainly a PING: a top-level
// object whose last "type" member is the literal 1. It only answers for the
// plain form Discord sends. Anything it is unsure of (escaped or non-ASCII
// keys, "type": 1.0, null) makes it say false, and the caller then decodes
// the whole interaction, which decides with encoding/json's own rules.
//
// It exists because the PING answer must be cheap next to the signature
// check, and encoding/json spends more decoding one field (reflection,
// allocations) than this scan does. It does not check syntax, so its yes
// means something only for valid JSON (the caller confirms it with
// json.Valid); any input is safe to scan.
func isPing(body []byte) bool {
	i := skipSpace(body, 0)
	if i >= len(body) || body[i] != '{' {
		return false
	}
	ping := false
	for i++; ; {
		i = skipSpace(body, i)
		if i >= len(body) || body[i] == '}' {
			return ping
		}
		if body[i] == ',' {
			i = skipSpace(body, i+1)
		}
		if i >= len(body) || body[i] != '"' {
			return false
		}
		end := skipString(body, i)
		key := body[i+1 : max(end-1, i+1)]
		if !plainKey(key) {
			// encoding/json unescapes keys and matches them ignoring case,
			// Unicode folds included: leave such bodies to it.
			return false
		}
		i = skipSpace(body, end)
		if i >= len(body) || body[i] != ':' {
			return false
		}
		i = skipSpace(body, i+1)
		valueEnd := skipValue(body, i)
		// encoding/json matches keys case-insensitively and the last
		// occurrence wins.
		if asciiEqualFold(key, "type") {
			ping = string(body[i:valueEnd]) == "1"
		}
		i = valueEnd
	}
}

// plainKey reports whether key has no escapes and no non-ASCII bytes.
func plainKey(key []byte) bool {
	for _, c := range key {
		if c == '\\' || c >= 0x80 {
			return false
		}
	}
	return true
}

func asciiEqualFold(b []byte, s string) bool {
	if len(b) != len(s) {
		return false
	}
	for i := range b {
		c := b[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != s[i] {
			return false
		}
	}
	return true
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// skipString returns the index after the string that starts at b[i] ('"').
func skipString(b []byte, i int) int {
	for i++; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return len(b)
}

// skipValue returns the index after the value that starts at b[i].
func skipValue(b []byte, i int) int {
	if i >= len(b) {
		return len(b)
	}
	switch b[i] {
	case '"':
		return skipString(b, i)
	case '{', '[':
		depth := 0
		for i < len(b) {
			switch b[i] {
			case '"':
				i = skipString(b, i)
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			}
			i++
		}
		return len(b)
	}
	// A number, true, false or null runs until a delimiter.
	for i < len(b) && b[i] != ',' && b[i] != '}' && b[i] != ']' && b[i] != ' ' && b[i] != '\t' && b[i] != '\n' && b[i] != '\r' {
		i++
	}
	return i
}
