from pingan.run.cli import main

main()
