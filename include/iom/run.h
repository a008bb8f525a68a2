/*
 * run: the whole command, parse -> read -> validate -> aggregate -> render
 * into staging -> publish.  Returns the process exit status.
 */
#ifndef IOM_RUN_H
#define IOM_RUN_H

int iom_main(int argc, char **argv);

#endif
