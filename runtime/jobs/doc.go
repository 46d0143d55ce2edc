// Package jobs runs many async aPaaS tasks (videos, audio) under the
// vendor's quotas, durably: a crash loses no paid task and never sends a
// create twice on its own.
//
// # Engine
//
// Run takes inputs (the caller's id, an API, a JSON payload) and a Flow per
// API (NewFlow wraps the generated create, <API>Handle and
// Wait<API>Handle). Each pool ("video", "video:<avatar type>", "tts", ...)
// has a limit of tasks in flight, by default the vendor's: 5 video tasks
// per avatar type per account, 1 TTS task (DefaultLimit). A worker holds
// its pool slot from the submit until the task ends, so the engine itself
// never goes over the cap; a refusal it still meets (another process or a
// sub-account shares the quota) is requeued with backoff.
//
// # Journal
//
// Every input moves through these states, each written to the journal
// before the step it guards:
//
//	pending ──► submitting ──► accepted ──► succeeded | failed
//	   ▲            │  │    (armed ahead: see Arming)
//	   └─ refused ──┘  └──► outcome-unknown | failed
//
// "submitting" is written (and fsynced) with a fresh RequestID before the
// create leaves; "accepted" with the task handle as soon as the create
// returns. A second Run with the same journal waits on accepted tasks,
// submits pending ones, and turns a submitting one into outcome-unknown
// with its RequestID instead of sending it again, because the crash may
// have come after the vendor made the task (there is no API to list
// tasks). Config.ResubmitUnknown sends such inputs again, at the risk of
// paying twice. Succeeded, failed and outcome-unknown are reported and
// left alone.
//
// # Arming: no fsync between a freed slot and the next create
//
// Writing the submitting record when a slot frees would put an fsynced
// commit on the critical path of every task. Instead a worker arms its
// next pending input shortly before its current task is expected to end
// (the pool's shortest recent task duration, less twice the recent commit
// latency): the submitting record, with a fresh RequestID, Gate (the handle
// of the running task) and Boot (the kernel's boot id), is committed while
// the slot is still busy, grouped with other writers (bbolt Batch). When a
// poll sees the gate task end, the worker appends the RequestID to the
// sent log, <journal>.sent, with one write(2) and no fsync, and sends the
// create at once; the accepted record and the gate task's verdict then
// share one commit. A resume proves an armed create never left, and puts
// the input back to pending, only when the sent log is whole, lacks its
// RequestID, and the boot id is unchanged: a write that returned survives
// the crash of the process (only the kernel's crash loses it, and that
// changes the boot id). No answer of the vendor's counts as proof (a gate
// task that read as running again would make the input pay twice).
// Otherwise it becomes outcome-unknown like any submitting record. A wait
// that ends another way (a callback, the context, WithMaxWait, a
// transport error) proves nothing about the gate, so the armed input is
// journaled as a plain submitting record before its create leaves.
// When the pool's recent durations agree within a quarter, the same
// estimate holds a wait's first poll until shortly before the expected end
// (a tenth of the duration, twice the durations' spread or 10 ms, whichever
// is longest): earlier polls would only say
// "making", and on a loaded machine they take the CPU the hand-off needs.
// A batch of videos of mixed lengths polls from the start. Config.NoArming turns arming and the hold off.
//
// # Result callbacks
//
// With Config.Callbacks (NewCallbacks: a public URL and a key of at least
// 16 bytes, e.g. Journal.CallbackKey), every create whose request has a
// CallbackUrl (Flow.Callback) and whose payload sets none gets the URL
// plus job=<input id>, rid=<RequestID>, tok=<HMAC-SHA256 of both>: the
// vendor sends the callback once and unsigned, so the token is what
// authenticates it. CallbackHandler wraps the generated handler (e.g.
// ivh.VideoResultHandler): a token that does not verify, compared in
// constant time, is answered 401 before the body is read and nothing else
// happens; a good one ends its input's wait at once (SUCCESS or FAIL), and
// an input whose create's outcome became unknown in this run waits up to
// Config.CallbackWait in its slot for its callback, which settles it with
// the task it names. Polling remains the fallback: a lost callback costs
// only the poll interval.
//
// The journal is a bbolt file (go.etcd.io/bbolt): a pure-Go, embedded,
// single-file B+tree store, well kept (etcd's), whose every Update is one
// transaction fsynced before it returns, and whose file lock keeps a second
// runner of the same batch out. SQLite through a pure-Go driver would give
// the same durability with a far larger dependency and a SQL layer this
// key-value record does not need. Each input writes three records
// (submitting, accepted, final), plus one shared commit adding all pending
// inputs; since a verdict rides on the next input's accepted commit and
// concurrent writers share commits, a batch costs about 1.3 fsynced
// commits per input (make bench-jobs prints the count).
//
// # Which refusals are requeued
//
// Only codes that prove the create was refused before the vendor queued it
// (RequeueCodes), checked against the catalogue (apaas-api.md §5):
//
//   - 100008 "submission count exceeds the limit": the admission check
//     refuses the request; no TaskId is returned, and the task that would
//     have been made does not exist. Requeued. (For MakeCustomization the
//     same code means the customisation quota is used up; waiting does not
//     help, so it fails after MaxRequeues.)
//   - 801004 and 100012 "too frequent": also refusals, but the vendor does
//     not say they come before queueing, and runtime-requirements §1.3 asks
//     for confirmation before treating 801004 as not processed. Not requeued
//     by default (RateLimitCodes; opt in with RequeueCodesIn).
//   - 110005 "record already exists (requests too fast)": may mean an
//     earlier identical request was processed; never requeued.
//   - 100013, 100014, 100015, 110007, 110021 (hour package, concurrency
//     quota, avatar or key expired, arrears): definite and lasting; failed.
//
// Transport failures the runtime does not mark outcome unknown are
// requeued too: the runtime returns *OutcomeUnknownError for every create
// that may have reached the gateway (RETRY-3), so the rest never left.
//
// # Results
//
// Run reports every input once through Config.OnResult, with the journal
// record and, when this run waited, the typed last poll response (or the
// typed callback payload, when a callback ended the wait). With
// Config.OutDir each result's MediaUrl is downloaded to <dir>/<id><ext>
// atomically (DownloadFile: temporary file, size check, fsync, rename).
package jobs
