package accountnet

// RoleLabels lists the roles with labels in display order.
var RoleLabels = []struct{ Value, Label string }{
	{string(RoleOwner), "Owner"},
	{string(RoleAdmin), "Admin"},
	{string(RoleMember), "Member"},
}

// Valid reports whether r is one of the three roles.
func (r Role) Valid() bool {
	return r == RoleOwner || r == RoleAdmin || r == RoleMember
}
