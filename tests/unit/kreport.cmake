# The kernel report parsers: fixtures in the kernel's real formats, and a
# bounded fuzz run of the libFuzzer entry point (ASan+UBSan in build-san).
add_executable(test_kreport ${CMAKE_CURRENT_LIST_DIR}/test_kreport.c)
target_link_libraries(test_kreport PRIVATE fs_reports)
add_test(NAME unit_kreport
  COMMAND test_kreport ${PROJECT_SOURCE_DIR}/tests/fixtures/kreport)

add_executable(fuzz_kreport_driver ${PROJECT_SOURCE_DIR}/tests/fuzz/fuzz_driver.c
  ${PROJECT_SOURCE_DIR}/tests/fuzz/fuzz_kreport.c)
target_link_libraries(fuzz_kreport_driver PRIVATE fs_reports)
add_test(NAME unit_fuzz_kreport
  COMMAND fuzz_kreport_driver ${PROJECT_SOURCE_DIR}/tests/fixtures/kreport 20000 15)

# The fault-injection dump parser (klog/fidump.c); the fuzz target feeds
# every input to it too, and its own fixtures seed a second run.
add_executable(test_fidump ${CMAKE_CURRENT_LIST_DIR}/test_fidump.c)
target_link_libraries(test_fidump PRIVATE fs_reports)
add_test(NAME unit_fidump COMMAND test_fidump ${PROJECT_SOURCE_DIR}/tests/fixtures/fidump)
add_test(NAME unit_fuzz_fidump
  COMMAND fuzz_kreport_driver ${PROJECT_SOURCE_DIR}/tests/fixtures/fidump 10000 10)

# fail-nth-site files (fidump_parse_site()): the target parses every whole input as one.
add_test(NAME unit_fuzz_failnth_site
  COMMAND fuzz_kreport_driver ${PROJECT_SOURCE_DIR}/tests/fixtures/failnth-site 5000 5)

set_tests_properties(unit_kreport unit_fuzz_kreport unit_fidump unit_fuzz_fidump
  unit_fuzz_failnth_site PROPERTIES LABELS unit TIMEOUT 120)

# With clang, also the libFuzzer target itself (not a test: run it by hand,
# e.g. fuzz_kreport -max_total_time=60 tests/fixtures/kreport).
if(CMAKE_C_COMPILER_ID MATCHES "Clang")
  add_executable(fuzz_kreport ${PROJECT_SOURCE_DIR}/tests/fuzz/fuzz_kreport.c
    ${PROJECT_SOURCE_DIR}/klog/kmsg.c ${PROJECT_SOURCE_DIR}/klog/kreport.c
    ${PROJECT_SOURCE_DIR}/klog/route.c ${PROJECT_SOURCE_DIR}/klog/frames.c
    ${PROJECT_SOURCE_DIR}/klog/feed.c
    ${PROJECT_SOURCE_DIR}/klog/kasan.c ${PROJECT_SOURCE_DIR}/klog/bug.c
    ${PROJECT_SOURCE_DIR}/klog/lockdep.c ${PROJECT_SOURCE_DIR}/klog/kmemleak.c
    ${PROJECT_SOURCE_DIR}/klog/stall.c ${PROJECT_SOURCE_DIR}/klog/fidump.c)
  target_link_libraries(fuzz_kreport PRIVATE fs_flags)
  target_compile_options(fuzz_kreport PRIVATE -fsanitize=fuzzer,address,undefined)
  target_link_options(fuzz_kreport PRIVATE -fsanitize=fuzzer,address,undefined)
endif()

# The symbolizer and the coverage map (reports/sym/sym.c, reports/cov*.c): a
# stand-in module compiled like a .ko (ET_REL, -g -O2) and a fixture journal.
set(FS_SYMTEST_SRC ${PROJECT_SOURCE_DIR}/tests/fixtures/coverage/symtest.c)
set(FS_SYMTEST_KO ${CMAKE_CURRENT_BINARY_DIR}/symtest/fs_symtest.ko)
add_custom_command(OUTPUT ${FS_SYMTEST_KO}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_CURRENT_BINARY_DIR}/symtest
  COMMAND ${CMAKE_C_COMPILER} -g -O2 -fno-pic -c ${FS_SYMTEST_SRC} -o ${FS_SYMTEST_KO}
  DEPENDS ${FS_SYMTEST_SRC}
  COMMENT "Building the stand-in module fs_symtest.ko"
  VERBATIM)
add_custom_target(fs_symtest_ko ALL DEPENDS ${FS_SYMTEST_KO})
add_executable(test_cov ${CMAKE_CURRENT_LIST_DIR}/test_cov.c)
target_link_libraries(test_cov PRIVATE fs_reports)
add_dependencies(test_cov fs_symtest_ko)
add_test(NAME unit_cov
  COMMAND test_cov ${PROJECT_SOURCE_DIR}/tests/fixtures/coverage
    ${CMAKE_CURRENT_BINARY_DIR}/symtest ${CMAKE_CURRENT_BINARY_DIR}/cov-work)
set_tests_properties(unit_cov PROPERTIES LABELS unit TIMEOUT 120)

# The static allocation-site list (reports/sym/sym_sites.c): a miniature source
# tree compiled into a "vmlinux" (ET_EXEC, with init/main.c) and into a module
# (ET_REL, DWARF 5 and 4), scanned and compared with the SITE markers.
set(FS_TREE ${PROJECT_SOURCE_DIR}/tests/fixtures/coverage/tree)
set(FS_TREE_OBJ ${CMAKE_CURRENT_BINARY_DIR}/sitetree)
set(FS_TREE_SRC ${FS_TREE}/init/main.c ${FS_TREE}/net/demo/sites.c ${FS_TREE}/include/alloc.h)
add_custom_command(OUTPUT ${FS_TREE_OBJ}/vmlinux ${FS_TREE_OBJ}/fs_demo.ko ${FS_TREE_OBJ}/fs_demo4.ko
  COMMAND ${CMAKE_COMMAND} -E make_directory ${FS_TREE_OBJ}
  COMMAND ${CMAKE_C_COMPILER} -g -O2 -fno-pic -I${FS_TREE}/include
    -c ${FS_TREE}/net/demo/sites.c -o ${FS_TREE_OBJ}/fs_demo.ko
  COMMAND ${CMAKE_C_COMPILER} -gdwarf-4 -O2 -fno-pic -I${FS_TREE}/include
    -c ${FS_TREE}/net/demo/sites.c -o ${FS_TREE_OBJ}/fs_demo4.ko
  COMMAND ${CMAKE_C_COMPILER} -g -O2 -fno-pic -no-pie -nostdlib -static -Wl,--build-id
    -Wl,--unresolved-symbols=ignore-all -Wl,-e,start_kernel -I${FS_TREE}/include
    ${FS_TREE}/init/main.c ${FS_TREE}/net/demo/sites.c -o ${FS_TREE_OBJ}/vmlinux
  DEPENDS ${FS_TREE_SRC}
  COMMENT "Building the allocation-site fixture (vmlinux, fs_demo.ko)"
  VERBATIM)
add_custom_target(fs_sitetree ALL DEPENDS ${FS_TREE_OBJ}/vmlinux ${FS_TREE_OBJ}/fs_demo.ko
  ${FS_TREE_OBJ}/fs_demo4.ko)
add_executable(test_sites ${CMAKE_CURRENT_LIST_DIR}/test_sites.c)
target_link_libraries(test_sites PRIVATE fs_reports)
add_dependencies(test_sites fs_sitetree)
add_test(NAME unit_sites
  COMMAND test_sites ${FS_TREE} ${FS_TREE_OBJ} ${CMAKE_CURRENT_BINARY_DIR}/sites-work)
set_tests_properties(unit_sites PROPERTIES LABELS unit TIMEOUT 120)

# The coverage map against that denominator: a fixture journal of frames in it.
add_executable(test_cov_scope ${CMAKE_CURRENT_LIST_DIR}/test_cov_scope.c)
target_link_libraries(test_cov_scope PRIVATE fs_reports)
add_dependencies(test_cov_scope fs_sitetree)
add_test(NAME unit_cov_scope
  COMMAND test_cov_scope ${FS_TREE} ${FS_TREE_OBJ} ${CMAKE_CURRENT_BINARY_DIR}/cov-scope-work)
set_tests_properties(unit_cov_scope PROPERTIES LABELS unit TIMEOUT 120)
