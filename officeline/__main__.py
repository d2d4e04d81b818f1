from officeline.cli import main

main()
