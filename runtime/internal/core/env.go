package core

import (
	"fmt"
	"os"
	"strings"
)

// Environment variables read by FromEnv.
const (
	EnvAppKey      = "IVH_APPKEY"
	EnvAccessToken = "IVH_ACCESS_TOKEN"
	EnvEndpoint    = "IVH_ENDPOINT"
)

// FromEnv reads credentials from the environment: IVH_APPKEY and
// IVH_ACCESS_TOKEN (both required) and IVH_ENDPOINT (optional:
// "international", the default, "mainland", or a base URL). The error names
// every missing variable. Pass the results to NewClient:
//
//	ak, tok, opts, err := ivh.FromEnv()
//	c, err := ivh.NewClient(ak, tok, opts...)
func FromEnv() (appKey, accessToken string, opts []Option, err error) {
	return fromEnv(os.Getenv)
}

func fromEnv(get func(string) string) (string, string, []Option, error) {
	ak, tok := get(EnvAppKey), get(EnvAccessToken)
	var missing []string
	for _, kv := range [][2]string{{EnvAppKey, ak}, {EnvAccessToken, tok}} {
		if kv[1] == "" {
			missing = append(missing, kv[0])
		}
	}
	if len(missing) > 0 {
		noun := "variable"
		if len(missing) > 1 {
			noun = "variables"
		}
		return "", "", nil, fmt.Errorf("ivhrt: environment %s %s not set", noun, strings.Join(missing, " and "))
	}
	base, err := endpointURL(get(EnvEndpoint))
	if err != nil {
		return "", "", nil, err
	}
	return ak, tok, []Option{WithBaseURL(base)}, nil
}

func endpointURL(e string) (string, error) {
	switch strings.ToLower(strings.TrimSpace(e)) {
	case "", "international", "intl":
		return International, nil
	case "mainland", "cn":
		return Mainland, nil
	}
	if _, err := parseBaseURL(e); err != nil {
		return "", fmt.Errorf("ivhrt: %s must be \"international\", \"mainland\" or an http(s) URL: %w", EnvEndpoint, err)
	}
	return e, nil
}
