; minios: a small kernel for VX32. Boot, IDT, paging with demand-zero page faults, a timer
; interrupt, round-robin preemptive scheduling of three user tasks at CPL 3, system calls
; by int 0x80 (write, getpid, yield, exit), console and disk drivers, and a disk test that
; writes and reads back DISK_SECTORS sectors. Its transcript is deterministic: the timer
; counts guest instructions. Three builds of this one source: see minios/platform.s.

        .entry  start

        .equ    CONSOLE, 0x3f8
        .equ    PIC_CMD, 0x20
        .equ    PIC_MASK, 0x21
        .equ    TIMER, 0x40
        .equ    DISK_DATA, 0x1f0
        .equ    DISK_COUNT, 0x1f2
        .equ    DISK_LBA, 0x1f3
        .equ    DISK_STATUS, 0x1f7
        .equ    DISK_READ, 0x20
        .equ    DISK_WRITE, 0x30
        .equ    DISK_SECTORS, 16        ; the disk test's burst (at most the ring's 32 slots)
        .equ    DISK_DRQ, 8

        .equ    FLAG_IF, 0x200
        .equ    PTE_P, 1
        .equ    PTE_W, 2
        .equ    PTE_U, 4
        .equ    VEC_PF, 14
        .equ    VEC_TIMER, 32
        .equ    VEC_SYSCALL, 0x80

        .equ    SYS_WRITE, 1
        .equ    SYS_GETPID, 2
        .equ    SYS_YIELD, 3
        .equ    SYS_EXIT, 4

        .ifndef TIMER_PERIOD
        .equ    TIMER_PERIOD, 1500      ; guest instructions between timer interrupts
        .endif
        .equ    KSTACK_TOP, 0x90000
        .equ    FIRST_FRAME, 0x100000
        .equ    USER_BASE, 0x800000     ; each task's private heap and stack: 8 MiB to 12 MiB
        .equ    USER_TOP, 0xc00000

; A task: its saved interrupt frame in kernel-stack order (r6 .. r0, pc, cpl, flags, sp),
; then its address space and state.
        .equ    FRAME_BYTES, 44
        .equ    T_PC, 28
        .equ    T_CPL, 32
        .equ    T_FLAGS, 36
        .equ    T_USP, 40
        .equ    T_PD, 44
        .equ    T_PT, 48
        .equ    T_STATE, 52             ; 1 runnable, 0 exited
        .equ    T_ID, 56
        .equ    T_SIZE, 64
        .equ    NTASKS, 3

        .include "minios/platform.s"

start:  mov     sp, KSTACK_TOP
        PLAT_BOOT
        mov     r1, msg_boot
        call    kputs
        call    idt_init
        mov     r0, KSTACK_TOP
        PLAT_SET_KERNEL_STACK r0
        PLAT_UNMASK_TIMER               ; only the timer interrupts
        mov     r1, msg_disk
        call    kputs
        mov     r1, 0
        call    disk_checksum
        call    kputhex
        mov     r1, msg_nl
        call    kputs
        mov     r1, msg_disktest
        call    kputs
        call    disk_test
        call    kputhex
        mov     r1, msg_nl
        call    kputs
        call    paging_init
        mov     r4, task_table
        mov     r1, task_a
        mov     r2, 1
        call    task_init
        add     r4, T_SIZE
        mov     r1, task_b
        mov     r2, 2
        call    task_init
        add     r4, T_SIZE
        mov     r1, task_c
        mov     r2, 3
        call    task_init
        mov     r4, task_table
        st      [current], r4
        ld      r0, [r4+T_PD]
        PLAT_LOAD_CR3 r0
        PLAT_ENABLE_PAGING r0
        mov     r1, msg_start
        call    kputs
        mov     r0, TIMER_PERIOD
        PLAT_SET_TIMER r0
        jmp     switch_to_current

        .include "minios/console.s"
        .ifdef PV
        .include "minios/blkfront.s"
        .else
        .ifdef PVDRIVERS
        .include "minios/blkfront.s"
        .else
        .include "minios/disk.s"
        .endif
        .endif
        .include "minios/disktest.s"
        .include "minios/paging.s"
        .include "minios/traps.s"
        .include "minios/sched.s"

msg_boot:     .asciz "minios: booting\n"
msg_disk:     .asciz "minios: disk sector 0 checksum "
msg_disktest: .asciz "minios: wrote and read back 16 sectors, checksum "
msg_start:    .asciz "minios: paging on, starting 3 tasks at CPL 3\n"
msg_task:     .asciz "minios: task "
msg_exited:   .asciz " exited with code "
msg_fault:    .asciz "minios: fault, vector "
msg_at:       .asciz " at pc "
msg_panic:    .asciz "minios: fault in the kernel, stopping\n"
msg_done:     .asciz "minios: all tasks exited after "
msg_ticks:    .asciz " timer interrupts, "
msg_switches: .asciz " task switches and "
msg_faults:   .asciz " demand-zero page faults\n"
msg_nl:       .asciz "\n"

        .align  4
next_frame:   .word FIRST_FRAME
low_pt:       .word 0
current:      .word 0
ticks:        .word 0
switches:     .word 0
page_faults:  .word 0
task_table:   .space NTASKS * T_SIZE
idt_desc:     .word 256 * 8 - 1, idt
        .align  8
idt:          .space 256 * 8
        .ifdef PV
mmu_request:  .space 8
        .endif
        .align  4096
disk_buf:     .space DISK_SECTORS * 512
        .ifdef PV
shared_info:  .space 4096              ; given to the hypervisor at boot
blk_ring:     .space 4096              ; the block ring: the page after the shared info
        .endif
        .ifdef PVDRIVERS
shared_info:  .space 4096
blk_ring:     .space 4096
        .endif

        .include "minios/user.s"
