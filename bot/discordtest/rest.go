package discordtest

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// response is the fake's answer to one REST request.
type response struct {
	status int
	header http.Header
	body   any // sent as JSON; nil sends no body
}

type handlerFunc func(r *Request) response

var notFoundBody = errorBody(0, "404: Not Found")

// errorBody is Discord's JSON error: {"message": ..., "code": ...}.
func errorBody(code int, msg string) map[string]any {
	return map[string]any{"message": msg, "code": code}
}

func jsonError(status, code int, msg string) response {
	return response{status: status, body: errorBody(code, msg)}
}

// maxBodyBytes is Discord's upload limit for bots without boosts.
const maxBodyBytes = 25 << 20

func (s *Server) serveREST(w http.ResponseWriter, r *http.Request) {
	now := time.Now()
	raw, readErr := io.ReadAll(io.LimitReader(r.Body, maxBodyBytes))
	req := Request{
		Method: r.Method,
		Path:   strings.TrimPrefix(r.URL.Path, DefaultBasePath),
		Query:  r.URL.Query(),
		Header: r.Header.Clone(),
		At:     now,
	}
	if tmpl, params, ok := s.spec.router.match(req.Path); ok {
		req.Route, req.Params = r.Method+" "+tmpl, params
	}
	var bodyErr error
	if readErr != nil {
		bodyErr = readErr
	} else {
		req.Body, req.Files, bodyErr = splitBody(r.Header.Get("Content-Type"), raw)
	}
	resp := s.answer(&req, bodyErr, now)
	req.Status = resp.status
	d := s.takeDrop(req.Route, resp.status)
	if d != nil {
		req.Dropped, req.Status = true, d.status
	}
	// Record before answering, so a test that saw the answer also sees the
	// request in Requests().
	s.record(req)
	switch {
	case d == nil:
		writeJSON(w, resp.status, resp.header, resp.body)
	case d.status != 0:
		writeJSON(w, d.status, nil, errorBody(0, strconv.Itoa(d.status)+": "+http.StatusText(d.status)))
	default:
		closeWithoutAnswer(w)
	}
}

// answer decides a request's answer, in Discord's order where it matters to
// a client: unknown route, method, authentication, scripted failures, rate
// limit, body validation, then the route's handler. Validation runs for
// every request with a body, whatever the answer, so a violation is recorded
// even for a request that a scripted failure answers.
func (s *Server) answer(req *Request, bodyErr error, now time.Time) response {
	if req.Route == "" {
		return response{status: http.StatusNotFound, header: s.peek(req, now), body: notFoundBody}
	}
	tmpl := strings.TrimPrefix(req.Route, req.Method+" ")
	if s.spec.operation(req.Method, tmpl) == nil {
		return response{status: http.StatusMethodNotAllowed, header: s.peek(req, now), body: errorBody(0, "405: Method Not Allowed")}
	}
	if needsBotToken(tmpl) && req.Header.Get("Authorization") != "Bot "+botToken {
		h, _ := s.take(req, now)
		return response{status: http.StatusUnauthorized, header: h, body: errorBody(0, "401: Unauthorized")}
	}

	issues, invalidJSON := s.validate(req, tmpl, bodyErr)
	s.addViolations(req.Route, issues)

	if in := s.takeInjection(req.Route); in != nil {
		if in.rateLimit {
			return s.injectedRateLimit(req, in, now)
		}
		return response{status: in.status, header: s.peek(req, now), body: in.body}
	}
	h, wait := s.take(req, now)
	if wait > 0 {
		return response{status: http.StatusTooManyRequests, header: h, body: rateLimitBody(wait, false)}
	}
	var resp response
	switch {
	case invalidJSON:
		resp = jsonError(http.StatusBadRequest, 50109, "The request body contains invalid JSON.")
	case len(issues) > 0:
		resp = response{status: http.StatusBadRequest, body: issuesBody(issues)}
	default:
		resp = s.handle(req)
	}
	if resp.header == nil {
		resp.header = http.Header{}
	}
	for k, v := range h {
		if _, ok := resp.header[k]; !ok {
			resp.header[k] = v
		}
	}
	return resp
}

// needsBotToken tells whether a route needs "Authorization: Bot <token>".
// Interaction callbacks and webhook routes carry their token in the path;
// GET /gateway needs none.
func needsBotToken(tmpl string) bool {
	return !strings.HasPrefix(tmpl, "/interactions/") &&
		!strings.HasPrefix(tmpl, "/webhooks/{webhook_id}/{webhook_token}") &&
		tmpl != "/gateway"
}

// validate checks the body against the OpenAPI description and Discord's
// rules; invalidJSON reports a body that is not JSON at all.
func (s *Server) validate(req *Request, tmpl string, bodyErr error) (issues []issue, invalidJSON bool) {
	if bodyErr != nil {
		return []issue{{code: "BODY_INVALID", message: bodyErr.Error()}}, true
	}
	issues, err := s.spec.validateBody(req.Method, tmpl, req.Body)
	switch {
	case errors.Is(err, errInvalidJSON):
		return []issue{{code: "BODY_INVALID", message: err.Error()}}, true
	case err != nil:
		// The fake could not compile a schema: its own fault, not the bot's.
		s.t.Errorf("discordtest: %v", err)
	}
	return append(issues, ruleIssues(req)...), false
}

// issuesBody is Discord's answer to a body it rejects: 50035 Invalid Form
// Body with the field errors, or the one JSON error some rules have instead.
func issuesBody(issues []issue) map[string]any {
	for _, is := range issues {
		if is.apiCode != 0 {
			return errorBody(is.apiCode, is.message)
		}
	}
	return map[string]any{"code": 50035, "message": "Invalid Form Body", "errors": formErrors(issues)}
}

func (s *Server) handle(req *Request) response {
	s.mu.Lock()
	override := s.overrides[req.Route]
	s.mu.Unlock()
	if override != nil {
		if status, body := override(*req); status != 0 {
			return response{status: status, body: body}
		}
	}
	if h := s.builtin(req.Route); h != nil {
		return h(req)
	}
	s.t.Logf("discordtest: the fake does not implement %s; answering 404 (use Handle to script it)", req.Route)
	return response{status: http.StatusNotFound, body: notFoundBody}
}

// splitBody returns the JSON body of a request and, for multipart/form-data,
// its files; Discord reads the JSON of a multipart request from the part
// named payload_json.
func splitBody(contentType string, raw []byte) ([]byte, []File, error) {
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil || mt != "multipart/form-data" {
		return raw, nil, nil
	}
	mr := multipart.NewReader(bytes.NewReader(raw), params["boundary"])
	var body []byte
	var files []File
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return body, files, nil
		}
		if err != nil {
			return nil, nil, err
		}
		data, err := io.ReadAll(p)
		if err != nil {
			return nil, nil, err
		}
		if p.FormName() == "payload_json" {
			body = data
			continue
		}
		files = append(files, File{Field: p.FormName(), Filename: p.FileName(), ContentType: p.Header.Get("Content-Type"), Data: data})
	}
}

func writeJSON(w http.ResponseWriter, status int, header http.Header, body any) {
	for k, v := range header {
		w.Header()[k] = v
	}
	if body == nil || status == http.StatusNoContent {
		w.WriteHeader(status)
		return
	}
	data, err := marshalData(body)
	if err != nil {
		http.Error(w, "discordtest: encoding the answer: "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(data)
}

// closeWithoutAnswer closes the client's connection before any byte of an
// answer, as a reply lost on the way looks to the client.
func closeWithoutAnswer(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		// Not an HTTP/1 connection (the fake serves only HTTP/1): a 5xx is
		// the next best thing.
		writeJSON(w, http.StatusInternalServerError, nil, errorBody(0, "500: Internal Server Error"))
		return
	}
	conn.Close()
}
