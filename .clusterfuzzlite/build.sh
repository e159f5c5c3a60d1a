#!/bin/bash -eu
# Builds every native Go fuzz target of devstress (the Fuzz* functions of
# fuzz/targets, one per file) as a libFuzzer binary named after it, with its seed
# corpus. fuzz/clusterfuzzlite_test.go checks that this list names every
# target.

# go.mod asks for Go 1.26: the go command fetches that toolchain when the
# image's is older.
export GOTOOLCHAIN=auto

# The rewritten targets import go-118-fuzz-build's testing shim: make it a
# dependency of the module, in the build container only.
printf 'package targets\n\nimport _ "github.com/AdamKorcz/go-118-fuzz-build/testing"\n' > fuzz/targets/register_cflite.go
go mod tidy

for target in FuzzProgram FuzzRegistration FuzzDeferral FuzzUnload FuzzDevres FuzzBroad FuzzDecode; do
	compile_native_go_fuzzer github.com/devstress/devstress/fuzz/targets "$target" "$target"
	# The seed corpus (Go's corpus format) converted for libFuzzer, when the
	# image has go-118-fuzz-build's converter.
	if [ -d "fuzz/targets/testdata/fuzz/$target" ] && command -v addStdLibCorpusToFuzzer >/dev/null; then
		addStdLibCorpusToFuzzer -dir "fuzz/targets/testdata/fuzz/$target" -fuzzer_name "$target"
	fi
done
