// Command etcd is etcd's own server entry point. It exists because go.etcd.io/etcd/server/v3
// carries replace directives in its go.mod, which makes a plain `go install` of it fail; as a
// dependency of this module those directives are ignored and the go.sum here pins the release.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
