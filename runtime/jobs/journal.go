package jobs

import (
	"crypto/rand"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"time"

	bolt "go.etcd.io/bbolt"
)

// State is where an input is in its life; see the package doc.
type State string

// The journal states.
const (
	Pending    State = "pending"         // not sent yet (or refused unprocessed)
	Submitting State = "submitting"      // the create request may be on the wire
	Accepted   State = "accepted"        // the create returned a task id
	Succeeded  State = "succeeded"       // the task ended in success
	Failed     State = "failed"          // the create or the task failed for sure
	Unknown    State = "outcome-unknown" // the create may or may not have been processed
)

// Final reports a state no run changes on its own.
func (s State) Final() bool { return s == Succeeded || s == Failed || s == Unknown }

// Record is the journal entry of one input.
type Record struct {
	ID        string          `json:"id"`
	API       string          `json:"api"`
	Pool      string          `json:"pool"`
	Payload   json.RawMessage `json:"payload"`
	State     State           `json:"state"`
	RequestID string          `json:"request_id,omitempty"` // of the last create sent
	Gate      string          `json:"gate,omitempty"`       // submitting, armed: the handle of the task whose end frees its slot (see the package doc)
	Boot      string          `json:"boot,omitempty"`       // submitting, armed: the kernel boot id and sent log id when armed
	Handle    string          `json:"handle,omitempty"`     // TaskHandle text, once accepted
	Attempts  int             `json:"attempts,omitempty"`   // creates sent
	Code      int             `json:"code,omitempty"`       // API or fail code of a failure
	Error     string          `json:"error,omitempty"`
	Output    json.RawMessage `json:"output,omitempty"` // last poll response of a finished task
	File      string          `json:"file,omitempty"`   // downloaded result
	Updated   time.Time       `json:"updated"`
}

var (
	bucketJobs = []byte("jobs")
	bucketMeta = []byte("meta")
	keyVersion = []byte("version")
	keyCBKey   = []byte("callback-key")
)

// journalVersion is the layout version stored in the meta bucket.
const journalVersion = "1"

// Journal is the durable record of a batch: one bbolt file, one JSON
// Record per input id. Every write is its own transaction, which bbolt
// fsyncs before Update returns.
type Journal struct {
	db      *bolt.DB
	sent    *sentLog
	running atomic.Bool // a Run uses the journal

	mu     sync.Mutex
	stats  JournalStats
	lastTx *bolt.Tx
	recent [8]time.Duration // the last waits, for Last
	n      int
}

// JournalStats counts the journal's write transactions since it was
// opened: each is one fsynced bbolt commit.
type JournalStats struct {
	Commits int           // write transactions
	Wall    time.Duration // time writers spent waiting for them, summed
	Last    time.Duration // the longest of the last few waits
}

// Stats returns the journal's write counters.
func (j *Journal) Stats() JournalStats {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.stats
}

// note records a writer that waited d for its commit.
func (j *Journal) note(d time.Duration) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.stats.Wall += d
	j.recent[j.n%len(j.recent)] = d
	j.n++
	j.stats.Last = 0
	for _, x := range j.recent {
		j.stats.Last = max(j.stats.Last, x)
	}
}

// count counts tx once, however many batched writes share it.
func (j *Journal) count(tx *bolt.Tx) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if tx != j.lastTx {
		j.lastTx = tx
		j.stats.Commits++
	}
}

// OpenJournal opens or creates the journal at path. A second process
// opening the same file waits up to a second for the lock, then fails:
// two runners of one batch could send the same create twice.
func OpenJournal(path string) (*Journal, error) {
	if err := checkJournalFile(path); err != nil {
		return nil, err
	}
	// NoFreelistSync: the freelist is rebuilt on open instead of written
	// with every commit (etcd's setting); durability of the records is
	// unchanged.
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second, NoFreelistSync: true})
	if err != nil {
		return nil, fmt.Errorf("jobs: opening journal %s: %w", path, err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		if _, err := tx.CreateBucketIfNotExists(bucketJobs); err != nil {
			return err
		}
		m, err := tx.CreateBucketIfNotExists(bucketMeta)
		if err != nil {
			return err
		}
		switch v := m.Get(keyVersion); {
		case v == nil:
			return m.Put(keyVersion, []byte(journalVersion))
		case string(v) != journalVersion:
			return fmt.Errorf("journal layout version %s, this program reads %s", v, journalVersion)
		}
		return nil
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("jobs: journal %s: %w", path, err)
	}
	db.MaxBatchDelay = time.Millisecond // group concurrent writes, keep latency low
	sent, err := openSentLog(path)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("jobs: journal %s: %w", path, err)
	}
	return &Journal{db: db, sent: sent}, nil
}

// Close releases the files.
func (j *Journal) Close() error { return errors.Join(j.sent.close(), j.db.Close()) }

// Put writes r durably: it returns once the transaction holding it is
// fsynced. Concurrent Puts share one transaction (bbolt's Batch), so five
// workers finishing together cost one commit, not five.
func (j *Journal) Put(r *Record) error { return j.putBatch(r) }

func (j *Journal) putBatch(rs ...*Record) error { return j.put(j.db.Batch, rs...) }

func (j *Journal) put(commit func(func(*bolt.Tx) error) error, rs ...*Record) error {
	now := time.Now().UTC()
	bs := make([][]byte, len(rs))
	for i, r := range rs {
		r.Updated = now
		b, err := json.Marshal(r)
		if err != nil {
			return err
		}
		bs[i] = b
	}
	start := time.Now()
	defer func() { j.note(time.Since(start)) }()
	return commit(func(tx *bolt.Tx) error {
		j.count(tx)
		for i, r := range rs {
			if err := tx.Bucket(bucketJobs).Put([]byte(r.ID), bs[i]); err != nil {
				return err
			}
		}
		return nil
	})
}

// CallbackKey returns the journal's secret for callback tokens (32 random
// bytes made and stored on first use), so a resumed run verifies the
// callbacks of tasks an earlier run started. It is never in a Record.
func (j *Journal) CallbackKey() ([]byte, error) {
	var key []byte
	err := j.db.Update(func(tx *bolt.Tx) error {
		m := tx.Bucket(bucketMeta)
		if k := m.Get(keyCBKey); k != nil {
			key = append([]byte(nil), k...)
			return nil
		}
		key = make([]byte, 32)
		if _, err := rand.Read(key); err != nil {
			return err
		}
		return m.Put(keyCBKey, key)
	})
	return key, err
}

// Get returns the record of id, or nil.
func (j *Journal) Get(id string) (*Record, error) {
	var r *Record
	err := j.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketJobs).Get([]byte(id))
		if b == nil {
			return nil
		}
		r = new(Record)
		return json.Unmarshal(b, r)
	})
	return r, err
}

// All returns every record, ordered by id.
func (j *Journal) All() ([]*Record, error) {
	var out []*Record
	err := j.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketJobs).ForEach(func(_, v []byte) error {
			r := new(Record)
			if err := json.Unmarshal(v, r); err != nil {
				return err
			}
			out = append(out, r)
			return nil
		})
	})
	return out, err
}

// ErrPayloadChanged is returned when an input id already in the journal
// comes with another API or payload: resuming would not be the same job.
var ErrPayloadChanged = errors.New("jobs: input changed since it was journaled")

// addPending records the inputs not in the journal yet as pending, in one
// transaction, and returns the record of every input in input order.
func (j *Journal) addPending(ins []Input) ([]*Record, error) {
	out := make([]*Record, len(ins))
	now := time.Now().UTC()
	err := j.db.Update(func(tx *bolt.Tx) error {
		bk := tx.Bucket(bucketJobs)
		for i, in := range ins {
			if b := bk.Get([]byte(in.ID)); b != nil {
				r := new(Record)
				if err := json.Unmarshal(b, r); err != nil {
					return err
				}
				if r.API != in.API || !sameJSON(r.Payload, in.Payload) {
					return fmt.Errorf("%w: %s", ErrPayloadChanged, in.ID)
				}
				out[i] = r
				continue
			}
			r := &Record{ID: in.ID, API: in.API, Pool: in.Pool, Payload: in.Payload, State: Pending, Updated: now}
			b, err := json.Marshal(r)
			if err != nil {
				return err
			}
			if err := bk.Put([]byte(in.ID), b); err != nil {
				return err
			}
			out[i] = r
		}
		return nil
	})
	return out, err
}

// sameJSON compares two JSON documents ignoring layout.
func sameJSON(a, b json.RawMessage) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return string(a) == string(b)
	}
	xa, _ := json.Marshal(x)
	ya, _ := json.Marshal(y)
	return string(xa) == string(ya)
}

// ErrJournalDamaged is returned by OpenJournal for a journal file that
// lost data: cut shorter than its own pages say, or emptied while its sent
// log remains. Opening it would crash the process (bbolt maps the missing
// pages) or start the batch afresh and send every create again.
var ErrJournalDamaged = errors.New("jobs: journal damaged")

// checkJournalFile refuses a journal file that lost data, before bbolt
// maps it.
func checkJournalFile(path string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return nil // missing: a new journal
	}
	if fi.Size() == 0 {
		if _, err := os.Stat(path + ".sent"); err == nil {
			return fmt.Errorf("%w: %s is empty but its sent log exists (a lost journal, not a new one; remove both to start afresh)", ErrJournalDamaged, path)
		}
		return nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil // bbolt reports it
	}
	defer f.Close()
	// bbolt's two meta pages: page header (16 bytes), then magic,
	// version, page size (uint32 each), flags, root bucket (16), freelist
	// (8), high-water page id (8), ... in the machine's byte order.
	// The size is read after the metas: a running batch only grows the
	// file, before it writes a meta naming the new pages.
	need := int64(0)
	var hdr [80]byte
	off := int64(0)
	for range 2 {
		if _, err := f.ReadAt(hdr[:], off); err != nil {
			return nil // too short for bbolt itself; it reports that
		}
		if binary.NativeEndian.Uint32(hdr[16:]) != 0xED0CDAED {
			return nil // not a bbolt meta page: bbolt reports it
		}
		pageSize := int64(binary.NativeEndian.Uint32(hdr[24:]))
		hwm := int64(binary.NativeEndian.Uint64(hdr[56:]))
		if pageSize <= 0 {
			return nil
		}
		need = max(need, hwm*pageSize)
		off = pageSize
	}
	if fi, err = f.Stat(); err == nil && need > fi.Size() {
		return fmt.Errorf("%w: %s holds %d bytes, its pages need %d (cut short)", ErrJournalDamaged, path, fi.Size(), need)
	}
	return nil
}
