// burstlab-netd: the pod network of the offline kind node image, doing what kindnetd does for a kind cluster whose
// nodes share one Docker network. On every node (a hostNetwork DaemonSet) it writes the CNI config that gives pods
// addresses from the node's spec.podCIDR (ptp + host-local + portmap, from the CNI plugins in /opt/cni/bin), and
// routes every other node's podCIDR via that node's InternalIP. It leaves out kindnetd's masquerading of pod traffic
// leaving the cluster (nothing here reaches outside: the image is built for offline use) and network policies.
package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/vishvananda/netlink"
)

const serviceAccount = "/var/run/secrets/kubernetes.io/serviceaccount"

type nodeList struct {
	Items []struct {
		Metadata struct {
			Name string `json:"name"`
		} `json:"metadata"`
		Spec struct {
			PodCIDR string `json:"podCIDR"`
		} `json:"spec"`
		Status struct {
			Addresses []struct {
				Type    string `json:"type"`
				Address string `json:"address"`
			} `json:"addresses"`
		} `json:"status"`
	} `json:"items"`
}

func main() {
	nodeName := os.Getenv("NODE_NAME")
	if nodeName == "" {
		log.Fatal("NODE_NAME is not set (the DaemonSet passes it from spec.nodeName)")
	}
	// kind patches CONTROL_PLANE_ENDPOINT in, so that the network comes up before kube-proxy makes the Service IP work.
	endpoint := os.Getenv("CONTROL_PLANE_ENDPOINT")
	if endpoint == "" {
		endpoint = net.JoinHostPort(os.Getenv("KUBERNETES_SERVICE_HOST"), os.Getenv("KUBERNETES_SERVICE_PORT"))
	}
	confDir := envOr("CNI_CONF_DIR", "/etc/cni/net.d")
	client, err := apiClient()
	if err != nil {
		log.Fatal(err)
	}
	written := ""
	for {
		if err := sync(client, endpoint, nodeName, confDir, &written); err != nil {
			log.Printf("sync: %v", err)
		}
		time.Sleep(5 * time.Second)
	}
}

func envOr(key, fallback string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return fallback
}

func apiClient() (*http.Client, error) {
	ca, err := os.ReadFile(filepath.Join(serviceAccount, "ca.crt"))
	if err != nil {
		return nil, fmt.Errorf("reading the service account's CA: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(ca) {
		return nil, fmt.Errorf("no certificate in %s/ca.crt", serviceAccount)
	}
	return &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}, nil
}

func listNodes(client *http.Client, endpoint string) (*nodeList, error) {
	// The token is re-read each time: the kubelet rotates projected tokens.
	token, err := os.ReadFile(filepath.Join(serviceAccount, "token"))
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "https://"+endpoint+"/api/v1/nodes", nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+string(token))
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET /api/v1/nodes: %s", resp.Status)
	}
	var nodes nodeList
	if err := json.NewDecoder(resp.Body).Decode(&nodes); err != nil {
		return nil, fmt.Errorf("decoding the node list: %w", err)
	}
	return &nodes, nil
}

func sync(client *http.Client, endpoint, self, confDir string, written *string) error {
	nodes, err := listNodes(client, endpoint)
	if err != nil {
		return err
	}
	for _, n := range nodes.Items {
		if n.Spec.PodCIDR == "" {
			continue
		}
		if n.Metadata.Name == self {
			if n.Spec.PodCIDR != *written {
				if err := writeConf(confDir, n.Spec.PodCIDR); err != nil {
					return err
				}
				*written = n.Spec.PodCIDR
				log.Printf("pods on %s get addresses from %s", self, n.Spec.PodCIDR)
			}
			continue
		}
		ip := internalIP(n.Status.Addresses)
		if ip == nil {
			continue
		}
		_, dst, err := net.ParseCIDR(n.Spec.PodCIDR)
		if err != nil {
			return fmt.Errorf("node %s has podCIDR %q: %w", n.Metadata.Name, n.Spec.PodCIDR, err)
		}
		if err := netlink.RouteReplace(&netlink.Route{Dst: dst, Gw: ip}); err != nil {
			return fmt.Errorf("route %s via %s (node %s): %w", dst, ip, n.Metadata.Name, err)
		}
	}
	return nil
}

func internalIP(addresses []struct {
	Type    string `json:"type"`
	Address string `json:"address"`
}) net.IP {
	for _, a := range addresses {
		if a.Type == "InternalIP" {
			if ip := net.ParseIP(a.Address); ip != nil && ip.To4() != nil {
				return ip
			}
		}
	}
	return nil
}

func writeConf(dir, podCIDR string) error {
	conf := map[string]any{
		"cniVersion": "0.3.1",
		"name":       "burstlab",
		"plugins": []any{
			map[string]any{
				"type":   "ptp",
				"ipMasq": false,
				"mtu":    1500,
				"ipam": map[string]any{
					"type":    "host-local",
					"dataDir": "/run/cni-ipam-state",
					"routes":  []any{map[string]any{"dst": "0.0.0.0/0"}},
					"ranges":  []any{[]any{map[string]any{"subnet": podCIDR}}},
				},
			},
			map[string]any{"type": "portmap", "capabilities": map[string]any{"portMappings": true}},
		},
	}
	raw, err := json.MarshalIndent(conf, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	// Written beside and renamed, so the kubelet never reads half a file.
	tmp := filepath.Join(dir, ".10-burstlab.conflist.tmp")
	if err := os.WriteFile(tmp, raw, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, filepath.Join(dir, "10-burstlab.conflist"))
}
