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
//	   ▲            │  │
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
// The journal is a bbolt file (go.etcd.io/bbolt): a pure-Go, embedded,
// single-file B+tree store, well kept (etcd's), whose every Update is one
// transaction fsynced before it returns, and whose file lock keeps a second
// runner of the same batch out. SQLite through a pure-Go driver would give
// the same durability with a far larger dependency and a SQL layer this
// key-value record does not need. Each input costs three fsynced commits
// in the common case (submitting, accepted, final), plus one shared commit
// adding all pending inputs.
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
// record and, when this run waited, the typed last poll response. With
// Config.OutDir each result's MediaUrl is downloaded to <dir>/<id><ext>
// atomically (DownloadFile: temporary file, size check, fsync, rename).
package jobs
