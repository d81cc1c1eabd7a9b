//go:build tools

// Package tools pins the KWOK node simulator built by scripts/controlplane.sh.
package tools

import _ "sigs.k8s.io/kwok/cmd/kwok"
