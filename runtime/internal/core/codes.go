package core

import "strconv"

// Category classifies an aPaaS code for error handling and retries.
type Category string

// The categories a code table may assign.
const (
	CategoryAuth            Category = "auth"
	CategoryRateLimit       Category = "rate-limit"
	CategoryQuota           Category = "quota"
	CategoryInvalidArgument Category = "invalid-argument"
	CategoryNotFound        Category = "not-found"
	CategoryConflict        Category = "conflict"
	CategoryInternal        Category = "internal"
	CategoryRetryable       Category = "retryable"
)

// Code is an aPaaS result code: the Header.Code of a response. Generated
// packages declare documented codes as Code constants; errors.Is(err, code)
// matches an *APIError carrying that code, and never a task failure, whose
// codes are a FailCode even where the numbers coincide.
type Code int

// Error makes a Code usable as an errors.Is target.
func (c Code) Error() string { return "apaas code " + strconv.Itoa(int(c)) }

// FailCode is the fail code of an async task (GetProgress's FailCode and
// its kin). errors.Is(err, code) matches a *TaskFailedError carrying it.
type FailCode int

// Error makes a FailCode usable as an errors.Is target.
func (c FailCode) Error() string { return "task fail code " + strconv.Itoa(int(c)) }

// CodeInfo describes one documented code; generated packages pass their
// tables to the client with WithCodes.
type CodeInfo struct {
	Code     Code
	Name     string
	Category Category
	Message  string
}

// CodeSignatureRejected is the code the gateway returns for a signature it
// does not accept (the documented "unauthorised"); with a skewed clock it
// triggers the one skew retry.
const CodeSignatureRejected Code = 100005

// defaultCodes is the built-in table from the vendor documents; categories
// decide retries (RETRY-2) and the APIError helpers.
var defaultCodes = map[Code]Category{
	100000: CategoryInternal, -101000: CategoryInternal, -101001: CategoryRetryable,
	-101002: CategoryInvalidArgument, 100001: CategoryInvalidArgument,
	100002: CategoryInvalidArgument, 100003: CategoryInvalidArgument,
	100005: CategoryAuth, 100008: CategoryQuota, 100009: CategoryNotFound,
	100013: CategoryQuota, 100015: CategoryQuota, 100016: CategoryNotFound,
	110005: CategoryConflict, 110006: CategoryNotFound, 110007: CategoryAuth,
	801000: CategoryRetryable, 801002: CategoryRetryable, 801004: CategoryRateLimit,
	801005: CategoryInvalidArgument,
}

// codeTable maps codes to categories: the defaults merged with WithCodes.
type codeTable map[Code]Category

func newCodeTable() codeTable {
	t := make(codeTable, len(defaultCodes))
	for c, cat := range defaultCodes {
		t[c] = cat
	}
	return t
}

// merge adds infos; an empty Category keeps the built-in one.
func (t codeTable) merge(infos []CodeInfo) {
	for _, ci := range infos {
		if ci.Category != "" {
			t[ci.Code] = ci.Category
		}
	}
}

func (t codeTable) category(c int) Category { return t[Code(c)] }

// neverRetried are the codes RETRY-2 says are never retried, whatever
// category a code table gives them: generated tables may call 110005
// "rate-limit", yet a retry of it only repeats the duplicate.
var neverRetried = map[Code]bool{
	100001: true, 100002: true, 100003: true, 100005: true, 100008: true, 100009: true, 100013: true,
	100015: true, 100016: true, 110005: true, 110006: true, 110007: true, 801005: true,
}

// retryableCode reports whether code c of category cat may be retried on
// an idempotent operation.
func retryableCode(c Code, cat Category) bool { return !neverRetried[c] && retryableCategory(cat) }

// retryableCategory reports whether a code of category cat may be retried
// on an idempotent operation.
func retryableCategory(cat Category) bool {
	return cat == CategoryInternal || cat == CategoryRetryable || cat == CategoryRateLimit
}
