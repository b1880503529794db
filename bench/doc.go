// Package bench holds side-by-side benchmarks of fz59/appeals against other
// libraries. It is a separate module so that the library does not depend on
// what it is compared with.
package bench
