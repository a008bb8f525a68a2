#include "iom/run.h"

int
main(int argc, char **argv)
{
    return iom_main(argc, argv);
}
