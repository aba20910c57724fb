from bench.national_bench import main

main()
