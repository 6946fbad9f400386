#include "cli/app.hpp"

int main(int argc, char** argv) {
    return perftrack::cli::run(argc, argv);
}
