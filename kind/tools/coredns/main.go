// CoreDNS for the offline kind node image, with only the plugins kubeadm's default Corefile names (errors, health,
// ready, kubernetes, prometheus, forward, cache, loop, reload, loadbalance) plus log. Upstream's main links every
// plugin, including the AWS, Azure and Google Cloud DNS back ends, which triples the cold build for nothing a kind
// cluster uses; a Corefile naming another plugin fails at start-up with "unknown directive".
package main

import (
	"github.com/coredns/coredns/coremain"
	_ "github.com/coredns/coredns/plugin/cache"
	_ "github.com/coredns/coredns/plugin/errors"
	_ "github.com/coredns/coredns/plugin/forward"
	_ "github.com/coredns/coredns/plugin/health"
	_ "github.com/coredns/coredns/plugin/kubernetes"
	_ "github.com/coredns/coredns/plugin/loadbalance"
	_ "github.com/coredns/coredns/plugin/log"
	_ "github.com/coredns/coredns/plugin/loop"
	_ "github.com/coredns/coredns/plugin/metrics"
	_ "github.com/coredns/coredns/plugin/ready"
	_ "github.com/coredns/coredns/plugin/reload"
)

func main() {
	coremain.Run()
}
