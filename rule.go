package accountnet

// WouldCycle reports whether adding the edge parent→child to rules closes a
// cycle in the domain graph (a self-edge counts). The rules of an app must
// form a directed acyclic graph.
func WouldCycle(rules []Rule, parent, child string) bool {
	if parent == child {
		return true
	}

	next := map[string][]string{}
	for _, r := range rules {
		next[r.ParentDomainID] = append(next[r.ParentDomainID], r.ChildDomainID)
	}

	// The new edge closes a cycle exactly when parent is reachable from child.
	seen := map[string]bool{child: true}
	stack := []string{child}
	for len(stack) > 0 {
		d := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, n := range next[d] {
			if n == parent {
				return true
			}
			if !seen[n] {
				seen[n] = true
				stack = append(stack, n)
			}
		}
	}
	return false
}

// CheckProposedFee validates a fee proposed under rule. It returns the
// person-facing message, or "" when the fee is allowed.
func CheckProposedFee(rule Rule, fee Percent) string {
	if !rule.Monetized {
		return "This kind of account cannot be charged a fee. Leave the fee empty."
	}
	if rule.MaxFee != nil && fee > *rule.MaxFee {
		return "The fee can be at most " + rule.MaxFee.String() + "%."
	}
	return ""
}
