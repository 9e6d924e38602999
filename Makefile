# Thin wrapper around CMake + ctest and the set-up a fresh machine needs.
# `make demo` and `make check` are the README's quick start.

BUILD     ?= build
BUILD_SAN ?= build-san
JOBS      ?= $(shell nproc)
CMAKE_FLAGS ?=
ifdef CI
CMAKE_FLAGS += -DFS_WERROR=ON
endif

.PHONY: all setup build build-san kernel kernel-stock check unit vm bench demo clean

all: build

setup:
	@scripts/setup-host.sh

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) $(CMAKE_FLAGS)

build: $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

$(BUILD_SAN)/CMakeCache.txt:
	cmake -S . -B $(BUILD_SAN) -DFS_SANITIZE=address,undefined $(CMAKE_FLAGS)

build-san: $(BUILD_SAN)/CMakeCache.txt
	cmake --build $(BUILD_SAN) -j $(JOBS)

# Builds (or finds in the cache) the test kernel; its directory is the last line.
kernel: build
	$(BUILD)/faultsweep kernel build

# The same tree without kernel/patches, which only vm_fallback boots: the
# tests need it, a demo does not (one cold build less for a new user).
kernel-stock: build
	$(BUILD)/faultsweep kernel build --no-patches

# Unit tests twice (plain and ASan+UBSan), then the VM suites. Not `bench`.
check: setup build build-san kernel-stock kernel
	cd $(BUILD_SAN) && ctest -L unit --output-on-failure
	cd $(BUILD) && ctest -LE bench --output-on-failure

unit: build build-san
	cd $(BUILD_SAN) && ctest -L unit --output-on-failure
	cd $(BUILD) && ctest -L unit --output-on-failure

vm: build kernel-stock kernel
	cd $(BUILD) && ctest -L vm --output-on-failure

bench: setup build kernel
	cd $(BUILD) && ctest -L bench --output-on-failure -V

demo: setup build kernel
	@scripts/demo.sh $(BUILD)/faultsweep

clean:
	rm -rf $(BUILD) $(BUILD_SAN)
