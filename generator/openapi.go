package generator

import "github.com/ivhgen/ivhgen/generator/openapi"

// OpenAPI checks the descriptors and returns an OpenAPI 3.1 document of the
// same APIs, with the aPaaS request and response envelopes modelled.
func OpenAPI(srcs []Source, cfg Config) ([]byte, error) {
	pkg, err := Model(srcs, cfg)
	if err != nil {
		return nil, err
	}
	return openapi.Document(pkg)
}
