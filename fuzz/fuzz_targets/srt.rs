#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| thema_fuzz::srt(data));
