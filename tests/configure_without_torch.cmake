# Configures SOURCE_DIR in BINARY_DIR with -DVENTRAL_WITH_TORCH=OFF (run by CTest as
# `cmake -P`) and checks that the LibTorch-free targets are there and the LibTorch ones
# are not. Fails with CMake's own output when configuring fails.
foreach(var SOURCE_DIR BINARY_DIR GENERATOR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "configure_without_torch.cmake: -D${var}=... is required")
  endif()
endforeach()
file(REMOVE_RECURSE ${BINARY_DIR})
execute_process(
  COMMAND ${CMAKE_COMMAND} -S ${SOURCE_DIR} -B ${BINARY_DIR} -G ${GENERATOR}
          -DVENTRAL_WITH_TORCH=OFF -DCMAKE_BUILD_TYPE=Release
  RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE output)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "configuring with -DVENTRAL_WITH_TORCH=OFF failed:\n${output}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build ${BINARY_DIR} --target help
                OUTPUT_VARIABLE targets RESULT_VARIABLE result)
foreach(wanted ventral_common ventral_stimuli ventral_neural_fit ventral_alignment neural_fit_tests
               alignment_test common_test stimuli_test)
  if(NOT targets MATCHES "(^|\n)${wanted}:")
    message(FATAL_ERROR "-DVENTRAL_WITH_TORCH=OFF: target ${wanted} is missing")
  endif()
endforeach()
foreach(unwanted ventral ventral_hmax ventral_training hmax_test)
  if(targets MATCHES "(^|\n)${unwanted}:")
    message(FATAL_ERROR "-DVENTRAL_WITH_TORCH=OFF: target ${unwanted} needs LibTorch but is defined")
  endif()
endforeach()
file(REMOVE_RECURSE ${BINARY_DIR})
message(STATUS "-DVENTRAL_WITH_TORCH=OFF configures: common, stimuli, neural_fit, alignment and their tests")
