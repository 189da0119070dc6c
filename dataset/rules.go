package dataset

import (
	"time"

	"go.yaml.in/yaml/v3"

	"talkbot/store"
)

// The rules below refuse entries that each look fine but contradict each
// other or the calendar.

// checkSpeaker refuses a position or statement of one party spoken by a
// person of another; at is the "by" or "party" value.
func (d *decoder) checkSpeaker(at *yaml.Node, what, by, party string, sc *scope) {
	own := sc.personParty[by]
	if own == "" || own == party {
		return
	}
	d.errorf(at, "%q speaks for party %q, but this %s is party %q's: fix \"by\" or \"party\"", by, own, what, party)
}

// checkDuplicate refuses an entry equal to an earlier one in what makes
// them the same (same names the fields).
func (d *decoder) checkDuplicate(n *yaml.Node, lines map[string]int, key, what, same string) {
	if line, dup := lines[key]; dup {
		d.errorf(n, "duplicate %s (same %s as the one at line %d): keep one", what, same, line)
		return
	}
	lines[key] = n.Line
}

// seat is where a person already sits in a round's delegations.
type seat struct {
	party string
	line  int
}

// checkSeats refuses a person in two delegations of one round, or twice
// in one.
func (d *decoder) checkSeats(seats map[string]seat, del store.Delegation, do *object) {
	var nodes []*yaml.Node
	if h := do.get("head"); h != nil && del.Head != "" {
		nodes = append(nodes, h)
	}
	if m := do.get("members"); m != nil && m.Kind == yaml.SequenceNode {
		nodes = append(nodes, m.Content...)
	}
	listed := map[string]bool{} // members listed twice are reported by refs
	for i, n := range nodes {
		if n.Kind != yaml.ScalarNode || isNull(n) || n.Value == "" {
			continue
		}
		isMember := i > 0 || del.Head == ""
		if isMember && listed[n.Value] {
			continue
		}
		if isMember {
			listed[n.Value] = true
		}
		first, dup := seats[n.Value]
		switch {
		case !dup:
			seats[n.Value] = seat{del.Party, n.Line}
		case first.party == del.Party:
			d.errorf(n, "%q is already in %q's delegation (line %d): list each person once", n.Value, del.Party, first.line)
		default:
			d.errorf(n, "%q is already in %q's delegation (line %d): a person sits in one delegation of a round", n.Value, first.party, first.line)
		}
	}
}

// checkSides refuses a mediator of a round that is also a side of it: it
// sends a delegation, proposed the round, or is a "party" of the track.
func (d *decoder) checkSides(o *object, r *store.Round, sc *scope) {
	list := o.get("mediators")
	if list == nil || list.Kind != yaml.SequenceNode {
		return
	}
	var delegationLine map[string]int
	if dn := o.get("delegations"); dn != nil && dn.Kind == yaml.MappingNode {
		delegationLine = map[string]int{}
		for i := 0; i+1 < len(dn.Content); i += 2 {
			if k := dn.Content[i]; k.Kind == yaml.ScalarNode {
				if _, seen := delegationLine[k.Value]; !seen {
					delegationLine[k.Value] = k.Line
				}
			}
		}
	}
	for _, n := range list.Content {
		if n.Kind != yaml.ScalarNode {
			continue
		}
		id := n.Value
		if _, known := sc.parties.lines[id]; !known {
			continue // already reported
		}
		switch line, sends := delegationLine[id]; {
		case sends:
			d.errorf(n, "%q is a mediator of this round but also sends a delegation to it (line %d): a party is either a side or a mediator of a round", id, line)
		case id == r.ProposedBy:
			d.errorf(n, "%q is a mediator of this round but also proposed it (proposed_by at line %d): a party is either a side or a mediator of a round", id, o.get("proposed_by").Line)
		case sc.partyRole[id] == store.RoleParty:
			d.errorf(n, "%q is a mediator of this round but its role in the track is %q (line %d): give it role: mediator, or remove it from \"mediators\"", id, store.RoleParty, sc.parties.lines[id])
		}
	}
}

// staleAfter is how long after its day a round may stay "proposed" or
// "scheduled" before the checker warns that no later report updated it.
const staleAfter = 7 * 24 * time.Hour

// checkStatusAgainstNow compares a round's status with the time of
// checking.
func (d *decoder) checkStatusAgainstNow(r *store.Round, statusNode, startsNode *yaml.Node, loc *time.Location) {
	if d.now.IsZero() || r.Starts.IsZero() {
		return
	}
	begins, dayEnds := r.Starts.At, r.Starts.At
	if !r.Starts.TimeKnown() {
		begins, dayEnds = r.Starts.Date.In(loc), r.Starts.Date.AddDays(1).In(loc)
	}
	switch {
	case r.Status == store.StatusHeld && begins.After(d.now):
		d.errorf(statusNode, "round %d is %q but starts %s, after now (%s): use \"scheduled\" or \"proposed\" until a source reports it was held",
			r.Number, r.Status, startsNode.Value, d.now.In(loc).Format("2006-01-02 15:04 MST"))
	case r.Status.Pending() && d.now.Sub(dayEnds) > staleAfter:
		d.warnf(statusNode, "round %d is still %q but its start, %s, is more than %d days past: set the status a later report gives (held, postponed or cancelled)",
			r.Number, r.Status, startsNode.Value, int(staleAfter/(24*time.Hour)))
	}
}
