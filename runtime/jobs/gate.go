package jobs

// resolveGates settles, before anything is sent, each submitting record an
// earlier run armed ahead (Record.Gate set). That run let such a create
// leave only after appending its RequestID to the sent log. So the create
// provably never left, and the input goes back to pending, only when the
// log is whole, lacks its RequestID, and the kernel has not restarted
// since it was armed (a returned write(2) survives a process crash).
// Otherwise it stays submitting, rewritten without its gate, and becomes
// outcome-unknown: no word of the vendor's (a gate task "still running")
// counts as proof, since a task that reads as running again would make the
// input pay twice. The log is emptied afterwards, once those writes held.
func (e *engine) resolveGates(recs []*Record) {
	// Unreadable or torn, the log proves nothing: every armed record below
	// becomes outcome-unknown, so the log is still emptied afterwards (kept
	// torn, the next mark would join its torn tail, "rid-xrid-y", and a
	// later resume would not find rid-y).
	sent, serr := e.j.sent.read()
	if serr != nil {
		sent = nil
	}
	// Armed records of inputs not in this run need the sent log too: it is
	// emptied below, so they are resolved now as well.
	in := make(map[string]bool, len(recs))
	for _, r := range recs {
		in[r.ID] = true
	}
	all, aerr := e.j.All() // on error not every armed record is resolved: keep the log
	for _, r := range all {
		if !in[r.ID] {
			recs = append(recs, r)
		}
	}
	for _, r := range recs {
		if r.State == Submitting && r.Gate != "" {
			e.resolveGate(r, sent)
		}
	}
	if e.journalErr() == nil && aerr == nil {
		e.j.sent.reset()
	}
}

func (e *engine) resolveGate(r *Record, sent map[string]bool) {
	gate, boot := r.Gate, r.Boot
	r.Gate, r.Boot = "", ""
	if sent != nil && !sent[r.RequestID] && boot != "" && boot == e.j.sent.stamp() {
		r.Attempts = max(r.Attempts-1, 0)
		r.Error = ""
		e.put(r, Pending)
		return
	}
	r.Error = "a crash came as the create was about to leave (after its slot's task " + gate + " ended); it may or may not have been processed (request_id=" + r.RequestID + ")"
	e.put(r, Submitting) // no longer armed: durable before the sent log is emptied
}
