from rai_xl.cli import main

main()
