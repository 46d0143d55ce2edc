package ivhotel

import (
	"errors"

	"github.com/ivhgen/ivhgen/runtime/ivhrt"
)

func asTaskFailed(err error, tf **ivhrt.TaskFailedError) bool { return errors.As(err, tf) }
