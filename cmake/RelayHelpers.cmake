# One helper per target kind, so every target gets the same warnings.

set(RELAY_WARNINGS -Wall -Wextra -Wno-unused-parameter)

# relay_library(NAME core SRCS a.cc DEPS ...) -> target relay_core, alias relay::core
function(relay_library)
  cmake_parse_arguments(ARG "" "NAME" "SRCS;DEPS" ${ARGN})
  add_library(relay_${ARG_NAME} STATIC ${ARG_SRCS})
  add_library(relay::${ARG_NAME} ALIAS relay_${ARG_NAME})
  target_include_directories(relay_${ARG_NAME} PUBLIC ${PROJECT_SOURCE_DIR})
  target_compile_options(relay_${ARG_NAME} PRIVATE ${RELAY_WARNINGS})
  target_link_libraries(relay_${ARG_NAME} PUBLIC ${ARG_DEPS})
endfunction()

# relay_binary(NAME webhook-relay SRCS main.cc DEPS ...)
function(relay_binary)
  cmake_parse_arguments(ARG "" "NAME" "SRCS;DEPS" ${ARGN})
  add_executable(${ARG_NAME} ${ARG_SRCS})
  target_include_directories(${ARG_NAME} PRIVATE ${PROJECT_SOURCE_DIR})
  target_compile_options(${ARG_NAME} PRIVATE ${RELAY_WARNINGS})
  target_link_libraries(${ARG_NAME} PRIVATE ${ARG_DEPS})
endfunction()

# relay_test(NAME router_test SRCS router_test.cc DEPS relay::core [LABELS e2e])
function(relay_test)
  cmake_parse_arguments(ARG "" "NAME" "SRCS;DEPS;LABELS" ${ARGN})
  relay_binary(NAME ${ARG_NAME} SRCS ${ARG_SRCS}
               DEPS ${ARG_DEPS} GTest::gmock GTest::gtest_main)
  target_compile_definitions(${ARG_NAME} PRIVATE
    RELAY_BINARY_DIR="${PROJECT_BINARY_DIR}" RELAY_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  gtest_discover_tests(${ARG_NAME} PROPERTIES LABELS "${ARG_LABELS}"
                       DISCOVERY_TIMEOUT 30)
endfunction()
