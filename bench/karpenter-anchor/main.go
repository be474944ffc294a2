// Command karpenter-anchor runs sigs.k8s.io/karpenter's scheduling simulation on pods read from a file, set up as
// the upstream scheduling benchmark (pkg/controllers/provisioning/scheduling/scheduling_benchmark_test.go,
// setupScheduler and benchmarkScheduler) does: one NodePool with huge limits, fake.InstanceTypes(400), a fake
// client, five concurrent reconciles. It writes the instance types it decided over and, per timed run, the time and
// the NodeClaims, as JSON, so burstlab's solver can be run on the same pods and types and compared.
//
// Usage: karpenter-anchor -types <out.json>            (writes the 400 instance types and exits)
//
//	karpenter-anchor -pods <in.json> -runs N    (solves N times after a warm-up; result JSON on stdout)
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/tools/record"
	"k8s.io/utils/clock"
	fakecr "sigs.k8s.io/controller-runtime/pkg/client/fake"
	"sigs.k8s.io/controller-runtime/pkg/log"
	v1 "sigs.k8s.io/karpenter/pkg/apis/v1"
	"sigs.k8s.io/karpenter/pkg/cloudprovider"
	"sigs.k8s.io/karpenter/pkg/cloudprovider/fake"
	"sigs.k8s.io/karpenter/pkg/controllers/provisioning/scheduling"
	"sigs.k8s.io/karpenter/pkg/controllers/state"
	"sigs.k8s.io/karpenter/pkg/events"
	"sigs.k8s.io/karpenter/pkg/operator/injection"
	"sigs.k8s.io/karpenter/pkg/operator/logging"
	"sigs.k8s.io/karpenter/pkg/operator/options"
	"sigs.k8s.io/karpenter/pkg/test"
)

type term struct {
	TopologyKey string            `json:"topologyKey"`
	MatchLabels map[string]string `json:"matchLabels"`
	MaxSkew     int32             `json:"maxSkew,omitempty"`
}

type podIn struct {
	Name         string            `json:"name"`
	CPUMilli     int64             `json:"cpuMilli"`
	MemoryMiB    int64             `json:"memoryMiB"`
	Labels       map[string]string `json:"labels"`
	Spread       []term            `json:"spread"`
	Affinity     []term            `json:"affinity"`
	AntiAffinity []term            `json:"antiAffinity"`
}

type offeringOut struct {
	Zone         string  `json:"zone"`
	CapacityType string  `json:"capacityType"`
	Price        float64 `json:"price"`
}

type typeOut struct {
	Name           string        `json:"name"`
	CPUMilli       int64         `json:"cpuMilli"`
	MemoryMiB      int64         `json:"memoryMiB"`
	Pods           int64         `json:"pods"`
	AllocCPUMilli  int64         `json:"allocatableCpuMilli"`
	AllocMemoryMiB int64         `json:"allocatableMemoryMiB"`
	Offerings      []offeringOut `json:"offerings"`
}

type claimOut struct {
	Pods int `json:"pods"`
	// Zones the claim's requirements allow (one when a topology pinned it).
	Zones []string `json:"zones"`
	// The cheapest instance type option and its cheapest compatible offering: what a launch would buy.
	Type     string  `json:"type"`
	CPUMilli int64   `json:"cpuMilli"`
	Price    float64 `json:"price"`
}

type result struct {
	Version      string     `json:"version"`
	Milliseconds []float64  `json:"milliseconds"`
	Claims       []claimOut `json:"claims"`
	PodErrors    int        `json:"podErrors"`
}

func selector(m map[string]string) *metav1.LabelSelector { return &metav1.LabelSelector{MatchLabels: m} }

func toPod(p podIn) *corev1.Pod {
	o := test.PodOptions{
		ObjectMeta: metav1.ObjectMeta{Name: p.Name, Labels: p.Labels, UID: types.UID(p.Name)},
		ResourceRequirements: corev1.ResourceRequirements{Requests: corev1.ResourceList{
			corev1.ResourceCPU:    *resource.NewMilliQuantity(p.CPUMilli, resource.DecimalSI),
			corev1.ResourceMemory: resource.MustParse(fmt.Sprintf("%dMi", p.MemoryMiB)),
		}},
	}
	for _, s := range p.Spread {
		o.TopologySpreadConstraints = append(o.TopologySpreadConstraints, corev1.TopologySpreadConstraint{
			MaxSkew: s.MaxSkew, TopologyKey: s.TopologyKey, WhenUnsatisfiable: corev1.DoNotSchedule, LabelSelector: selector(s.MatchLabels),
		})
	}
	for _, a := range p.Affinity {
		o.PodRequirements = append(o.PodRequirements, corev1.PodAffinityTerm{TopologyKey: a.TopologyKey, LabelSelector: selector(a.MatchLabels)})
	}
	for _, a := range p.AntiAffinity {
		o.PodAntiRequirements = append(o.PodAntiRequirements, corev1.PodAffinityTerm{TopologyKey: a.TopologyKey, LabelSelector: selector(a.MatchLabels)})
	}
	return test.Pod(o)
}

// newScheduler is the benchmark's setupScheduler.
func newScheduler(ctx context.Context, pods []*corev1.Pod, instanceTypes []*cloudprovider.InstanceType) (*scheduling.Scheduler, error) {
	nodePool := test.NodePool(v1.NodePool{Spec: v1.NodePoolSpec{Limits: v1.Limits{
		corev1.ResourceCPU:    resource.MustParse("10000000"),
		corev1.ResourceMemory: resource.MustParse("10000000Gi"),
	}}})
	cloudProvider := fake.NewCloudProvider()
	cloudProvider.InstanceTypes = instanceTypes
	client := fakecr.NewFakeClient()
	clk := &clock.RealClock{}
	cluster := state.NewCluster(clk, client, cloudProvider)
	byPool := map[string][]*cloudprovider.InstanceType{nodePool.Name: instanceTypes}
	opts := []scheduling.Options{scheduling.NumConcurrentReconciles(5)}
	topology, err := scheduling.NewTopology(ctx, client, cluster, nil, []*v1.NodePool{nodePool}, byPool, pods, opts...)
	if err != nil {
		return nil, fmt.Errorf("creating topology, %w", err)
	}
	return scheduling.NewScheduler(ctx, client, []*v1.NodePool{nodePool}, cluster, nil, topology, byPool, nil,
		events.NewRecorder(&record.FakeRecorder{}), clk, nil, nil, opts...), nil
}

func dumpTypes(path string, its []*cloudprovider.InstanceType) error {
	out := make([]typeOut, 0, len(its))
	for _, it := range its {
		alloc := it.Allocatable()
		t := typeOut{
			Name: it.Name, CPUMilli: it.Capacity.Cpu().MilliValue(), MemoryMiB: it.Capacity.Memory().Value() / (1 << 20), Pods: it.Capacity.Pods().Value(),
			AllocCPUMilli: alloc.Cpu().MilliValue(), AllocMemoryMiB: alloc.Memory().Value() / (1 << 20),
		}
		for _, o := range it.Offerings {
			t.Offerings = append(t.Offerings, offeringOut{Zone: o.Zone(), CapacityType: o.CapacityType(), Price: o.Price})
		}
		out = append(out, t)
	}
	b, err := json.Marshal(out)
	if err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o644)
}

func run(podsPath string, runs int, version string) (*result, error) {
	raw, err := os.ReadFile(podsPath)
	if err != nil {
		return nil, err
	}
	var in []podIn
	if err := json.Unmarshal(raw, &in); err != nil {
		return nil, fmt.Errorf("%s: %w", podsPath, err)
	}
	pods := make([]*corev1.Pod, 0, len(in))
	for _, p := range in {
		pods = append(pods, toPod(p))
	}
	ctx := options.ToContext(injection.WithControllerName(context.Background(), "provisioner"), test.Options())
	its := fake.InstanceTypes(400)
	res := &result{Version: version}
	// The warm-up solve is the one reported: a new scheduler per run, as each provisioning pass builds one.
	for i := 0; i <= runs; i++ {
		s, err := newScheduler(ctx, pods, its)
		if err != nil {
			return nil, err
		}
		start := time.Now()
		results, err := s.Solve(ctx, pods)
		elapsed := time.Since(start)
		if err != nil {
			return nil, err
		}
		if i > 0 {
			res.Milliseconds = append(res.Milliseconds, float64(elapsed.Microseconds())/1000)
			continue
		}
		res.PodErrors = len(results.PodErrors)
		for _, nc := range results.NewNodeClaims {
			c := claimOut{Pods: len(nc.Pods), Zones: nc.Requirements.Get(corev1.LabelTopologyZone).Values(), Price: -1}
			for _, it := range nc.InstanceTypeOptions {
				for _, o := range it.Offerings.Available().Compatible(nc.Requirements) {
					if c.Price < 0 || o.Price < c.Price {
						c.Price, c.Type, c.CPUMilli = o.Price, it.Name, it.Capacity.Cpu().MilliValue()
					}
				}
			}
			res.Claims = append(res.Claims, c)
		}
	}
	return res, nil
}

func main() {
	log.SetLogger(logging.NopLogger)
	typesPath := flag.String("types", "", "write the benchmark's 400 instance types to this file and exit")
	podsPath := flag.String("pods", "", "pods to solve (JSON)")
	runs := flag.Int("runs", 3, "timed solves after the reported one")
	version := flag.String("version", "", "the Karpenter module version, echoed in the result")
	flag.Parse()
	if *typesPath != "" {
		if err := dumpTypes(*typesPath, fake.InstanceTypes(400)); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		return
	}
	res, err := run(*podsPath, *runs, *version)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := json.NewEncoder(os.Stdout).Encode(res); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
