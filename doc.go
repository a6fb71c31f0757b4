// Package accountnet holds the domain of the account network service: the
// types every layer shares, the rules that need no I/O (invitation
// lifecycle, fee and money arithmetic, the domain graph), and the closed set
// of error codes. Storage, HTTP, mail and the command line depend on this
// package; it imports nothing else from the project.
package accountnet
