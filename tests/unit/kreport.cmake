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

# The fault-injection dump parser (reports/fidump.c); the fuzz target feeds
# every input to it too, and its own fixtures seed a second run.
add_executable(test_fidump ${CMAKE_CURRENT_LIST_DIR}/test_fidump.c)
target_link_libraries(test_fidump PRIVATE fs_reports)
add_test(NAME unit_fidump COMMAND test_fidump ${PROJECT_SOURCE_DIR}/tests/fixtures/fidump)
add_test(NAME unit_fuzz_fidump
  COMMAND fuzz_kreport_driver ${PROJECT_SOURCE_DIR}/tests/fixtures/fidump 10000 10)

set_tests_properties(unit_kreport unit_fuzz_kreport unit_fidump unit_fuzz_fidump PROPERTIES
  LABELS unit TIMEOUT 120)

# With clang, also the libFuzzer target itself (not a test: run it by hand,
# e.g. fuzz_kreport -max_total_time=60 tests/fixtures/kreport).
if(CMAKE_C_COMPILER_ID MATCHES "Clang")
  add_executable(fuzz_kreport ${PROJECT_SOURCE_DIR}/tests/fuzz/fuzz_kreport.c
    ${PROJECT_SOURCE_DIR}/reports/kmsg.c ${PROJECT_SOURCE_DIR}/reports/kreport.c
    ${PROJECT_SOURCE_DIR}/reports/route.c ${PROJECT_SOURCE_DIR}/reports/frames.c
    ${PROJECT_SOURCE_DIR}/reports/kasan.c ${PROJECT_SOURCE_DIR}/reports/bug.c
    ${PROJECT_SOURCE_DIR}/reports/lockdep.c ${PROJECT_SOURCE_DIR}/reports/kmemleak.c
    ${PROJECT_SOURCE_DIR}/reports/stall.c ${PROJECT_SOURCE_DIR}/reports/fidump.c)
  target_link_libraries(fuzz_kreport PRIVATE fs_flags)
  target_compile_options(fuzz_kreport PRIVATE -fsanitize=fuzzer,address,undefined)
  target_link_options(fuzz_kreport PRIVATE -fsanitize=fuzzer,address,undefined)
endif()
