module github.com/fz59/appeals/bench

go 1.26.0

require github.com/fz59/appeals v0.0.0

require github.com/rickar/cal/v2 v2.1.13

replace github.com/fz59/appeals => ../
